package dev.restflow.ktor.auth

import dev.restflow.RestflowDsl
import io.ktor.server.auth.AuthenticationConfig
import io.ktor.server.auth.AuthenticationContext
import io.ktor.server.auth.AuthenticationProvider

/**
 * Static API-key authentication (`Authorization: Token <key>`, DRF's `TokenAuthentication`), with DRF's messages:
 * "Invalid token header. No credentials provided.", "Invalid token header. Token string should not contain spaces.",
 * "Invalid token.", "User inactive or deleted.". Every 401 carries `WWW-Authenticate: <keyword>`; the keyword is
 * matched ignoring case.
 */
public class RestflowTokenAuthenticationProvider internal constructor(
    private val config: RestflowTokenConfig,
) : AuthenticationProvider(config) {
    private val lookup = checkNotNull(config.lookup) { "restflowToken { lookup = … } is required" }

    override suspend fun onAuthenticate(context: AuthenticationContext) {
        val challenge = config.keyword
        val (_, key) = Challenges.header(context)?.takeIf { it.first.equals(config.keyword, ignoreCase = true) }
            ?: return Challenges.noCredentials(context, KEY, challenge)
        fun fail(message: String) = Challenges.failed(context, KEY, challenge, message)
        if (key.isEmpty()) return fail("Invalid token header. No credentials provided.")
        if (key.any(Char::isWhitespace)) return fail("Invalid token header. Token string should not contain spaces.")
        if (key.length > 512 || key.any { it.code < 0x21 || it.code > 0x7e }) return fail("Invalid token.")
        val user = lookup.findUser(key) ?: return fail("Invalid token.")
        if (!user.isActive) return fail("User inactive or deleted.")
        context.principal(name, RestflowPrincipal(user))
    }

    private companion object {
        const val KEY = "RestflowToken"
    }
}

/** Configuration of [restflowToken]. */
@RestflowDsl
public class RestflowTokenConfig internal constructor(name: String?) : AuthenticationProvider.Config(name) {
    /** Finds the user of a key. Required. */
    public var lookup: ApiTokenLookup? = null

    /** The scheme (default `Token`, DRF's; some APIs use `Api-Key`). */
    public var keyword: String = "Token"
}

/** Registers static API-key authentication as provider [name]. */
public fun AuthenticationConfig.restflowToken(name: String? = null, configure: RestflowTokenConfig.() -> Unit) {
    register(RestflowTokenAuthenticationProvider(RestflowTokenConfig(name).apply(configure)))
}
