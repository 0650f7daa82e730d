package dev.restflow.ktor.auth

import dev.restflow.RestflowDsl
import io.ktor.server.application.ApplicationCall
import io.ktor.server.auth.AuthenticationConfig
import io.ktor.server.auth.AuthenticationContext
import io.ktor.server.auth.AuthenticationProvider
import kotlinx.coroutines.future.await
import java.util.concurrent.CompletionStage
import java.util.function.Function

/**
 * Session authentication (DRF's `SessionAuthentication`) over Ktor Sessions or any other session mechanism:
 * [RestflowSessionConfig.userId] reads the logged-in user's id from the call (e.g.
 * `call.sessions.get<UserSession>()?.userId`), and the user is looked up in the [UserStore]. No session → 401
 * `not_authenticated`; a session of a deleted or inactive user → 401 "User inactive or deleted.". Sessions have no
 * `WWW-Authenticate` scheme of their own, so the challenge names [RestflowSessionConfig.challenge] (default
 * `Session`), which keeps R-11's "every 401 has one"; put a token provider first when clients should see `Bearer`.
 */
public class RestflowSessionAuthenticationProvider internal constructor(
    private val config: RestflowSessionConfig,
) : AuthenticationProvider(config) {
    private val users = checkNotNull(config.userStore) { "restflowSession { userStore = … } is required" }
    private val read = checkNotNull(config.userIdReader) { "restflowSession { userId { call -> … } } is required" }

    override suspend fun onAuthenticate(context: AuthenticationContext) {
        val id = try {
            read(context.call)
        } catch (_: RuntimeException) {
            null // an unreadable or tampered session is no session
        } ?: return Challenges.noCredentials(context, KEY, config.challenge)
        val user = users.findById(id)
        if (user == null || !user.isActive) return Challenges.failed(context, KEY, config.challenge, "User inactive or deleted.")
        context.principal(name, RestflowPrincipal(user))
    }

    private companion object {
        const val KEY = "RestflowSession"
    }
}

/** Configuration of [restflowSession]. */
@RestflowDsl
public class RestflowSessionConfig internal constructor(name: String?) : AuthenticationProvider.Config(name) {
    internal var userIdReader: (suspend (ApplicationCall) -> String?)? = null

    /** Where users are found by id. Required. */
    public var userStore: UserStore? = null

    /** The `WWW-Authenticate` value of this provider's 401s (default `Session`). */
    public var challenge: String = "Session"

    /** Reads the logged-in user's id from the call's session, or `null` without one. Required (or a Java twin). */
    @JvmSynthetic
    public fun userId(reader: suspend (ApplicationCall) -> String?) {
        userIdReader = reader
    }

    /**
     * Java: the user-id reader as a function called on the call's coroutine — for reads that do not block (a
     * cookie, an in-memory session map); use [userIdAsync] for I/O.
     */
    public fun userIdBlocking(reader: Function<ApplicationCall, String?>): RestflowSessionConfig = apply {
        userIdReader = { reader.apply(it) }
    }

    /** Java: the user-id reader returning a future; the call waits for it without blocking a thread. */
    public fun userIdAsync(reader: Function<ApplicationCall, out CompletionStage<String?>>): RestflowSessionConfig = apply {
        userIdReader = { reader.apply(it).await() }
    }
}

/** Registers session authentication as provider [name]. */
public fun AuthenticationConfig.restflowSession(name: String? = null, configure: RestflowSessionConfig.() -> Unit) {
    register(RestflowSessionAuthenticationProvider(RestflowSessionConfig(name).apply(configure)))
}
