package dev.restflow.ktor.auth

import dev.restflow.RestflowDsl
import dev.restflow.ktor.auth.password.PasswordHasher
import dev.restflow.ktor.auth.password.Pbkdf2PasswordHasher
import io.ktor.server.auth.AuthenticationConfig
import io.ktor.server.auth.AuthenticationContext
import io.ktor.server.auth.AuthenticationProvider
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.util.Base64
import java.util.UUID

/**
 * HTTP Basic authentication against a [UserStore] and a [PasswordHasher], with DRF's messages: a header of another
 * shape → "Invalid basic header. No credentials provided." / "…Credentials string should not contain spaces." /
 * "…Credentials not correctly base64 encoded."; a wrong password or unknown user → "Invalid username/password.";
 * an inactive user → "User inactive or deleted.". Every 401 carries `WWW-Authenticate: Basic realm="…"`. Unknown users
 * cost a hash too. The scheme is matched ignoring case.
 */
public class RestflowBasicAuthenticationProvider internal constructor(
    private val config: RestflowBasicConfig,
) : AuthenticationProvider(config) {
    private val users = checkNotNull(config.userStore) { "restflowBasic { userStore = … } is required" }
    private val dummy by lazy { config.hasher.hash(UUID.randomUUID().toString()) }
    private val challenge = "Basic realm=\"${config.realm}\", charset=\"UTF-8\""

    override suspend fun onAuthenticate(context: AuthenticationContext) {
        val (_, credentials) = Challenges.header(context)
            ?.takeIf { it.first.equals("Basic", ignoreCase = true) }
            ?: return Challenges.noCredentials(context, KEY, challenge)
        fun fail(message: String) = Challenges.failed(context, KEY, challenge, message)
        if (credentials.isEmpty()) return fail("Invalid basic header. No credentials provided.")
        if (credentials.any(Char::isWhitespace)) return fail("Invalid basic header. Credentials string should not contain spaces.")
        val decoded = try {
            String(Base64.getDecoder().decode(credentials), Charsets.UTF_8)
        } catch (_: IllegalArgumentException) {
            return fail("Invalid basic header. Credentials not correctly base64 encoded.")
        }
        if (':' !in decoded) return fail("Invalid basic header. Credentials not correctly base64 encoded.")
        val username = decoded.substringBefore(':')
        val password = decoded.substringAfter(':')
        val user = users.findByUsername(username)
        val stored = user?.passwordHash
        val ok = withContext(Dispatchers.Default) { config.hasher.verify(password, stored ?: dummy) }
        if (user == null || stored == null || !ok) return fail("Invalid username/password.")
        if (!user.isActive) return fail("User inactive or deleted.")
        context.principal(name, RestflowPrincipal(user))
    }

    private companion object {
        const val KEY = "RestflowBasic"
    }
}

/** Configuration of [restflowBasic]. */
@RestflowDsl
public class RestflowBasicConfig internal constructor(name: String?) : AuthenticationProvider.Config(name) {
    /** Where users are found by username. Required. */
    public var userStore: UserStore? = null

    /** Checks passwords (default [Pbkdf2PasswordHasher]). */
    public var hasher: PasswordHasher = Pbkdf2PasswordHasher()

    /** The realm in `WWW-Authenticate` (default `restflow`). */
    public var realm: String = "restflow"
}

/** Registers HTTP Basic authentication as provider [name]; routes see a [RestflowPrincipal] without a token. */
public fun AuthenticationConfig.restflowBasic(name: String? = null, configure: RestflowBasicConfig.() -> Unit) {
    register(RestflowBasicAuthenticationProvider(RestflowBasicConfig(name).apply(configure)))
}
