package dev.restflow.ktor.auth

import dev.restflow.RestflowDsl
import dev.restflow.ktor.auth.blacklist.TokenBlacklistKey
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.auth.jwt.TokenVerification
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.error.respondError
import dev.restflow.ktor.restflow
import io.ktor.http.HttpHeaders
import io.ktor.server.auth.AuthenticationConfig
import io.ktor.server.auth.AuthenticationContext
import io.ktor.server.auth.AuthenticationFailedCause
import io.ktor.server.auth.AuthenticationProvider
import java.security.MessageDigest

/**
 * Authenticates `Authorization: Bearer <access token>` with the application's Restflow JWT settings, looking the
 * user up in [RestflowJwtConfig.userStore].
 *
 * Failures answer the error envelope with `WWW-Authenticate`: no header → 401 `not_authenticated`; a header of
 * another shape, a bad, expired or refresh token, an unknown or inactive user, or a token issued before a
 * password change (with `check-revoke-token`), or a token revoked in the blacklist registered by
 * [dev.restflow.ktor.auth.blacklist.installTokenBlacklist] → 401 `authentication_failed` with drf-restflow's
 * messages; a blacklist store that is down or slower than `blacklist-timeout` → 503 `service_unavailable` unless
 * `blacklist-fail-open`. The scheme
 * is any of `auth-header-types`, compared ignoring case. Garbage never becomes a 500.
 */
public class RestflowJwtAuthenticationProvider internal constructor(
    private val config: RestflowJwtConfig,
) : AuthenticationProvider(config) {
    private val userStore: UserStore = checkNotNull(config.userStore) { "restflowJwt { userStore = … } is required" }

    override suspend fun onAuthenticate(context: AuthenticationContext) {
        val call = context.call
        val restflow = call.application.restflow
        val settings = restflow.settings.jwt
        val tokens = config.tokens ?: checkNotNull(restflow.jwt) { "restflow.jwt.signing-key or verifying-key must be configured for restflowJwt" }
        val scheme = settings.authHeaderTypes.first()
        val challenge = "$scheme realm=\"${config.realm}\""
        val header = call.request.headers[HttpHeaders.Authorization]
        if (header.isNullOrBlank()) {
            context.challenge(KEY, AuthenticationFailedCause.NoCredentials) { done, c ->
                c.respondError(ApiException.notAuthenticated(challenge))
                done.complete()
            }
            return
        }
        fun fail(message: String) {
            context.challenge(KEY, AuthenticationFailedCause.InvalidCredentials) { done, c ->
                c.respondError(ApiException.authenticationFailed(message, "$challenge, error=\"invalid_token\""))
                done.complete()
            }
        }
        val parts = header.trim().split(Regex("\\s+"))
        if (parts.size != 2 || settings.authHeaderTypes.none { it.equals(parts[0], ignoreCase = true) }) {
            return fail("Authorization header must be '${settings.authHeaderTypes.joinToString("' or '") { "$it <token>" }}'.")
        }
        val token = when (val result = tokens.verify(parts[1], TokenType.ACCESS)) {
            is TokenVerification.Invalid -> return fail(result.message)
            is TokenVerification.Valid -> result.token
        }
        val user = userStore.findById(token.userId) ?: return fail("User not found.")
        if (settings.checkUserIsActive && !user.isActive) return fail("User is inactive.")
        if (settings.checkRevokeToken) {
            val claimed = token.stringClaim(settings.revokeTokenClaim).orEmpty()
            val current = RevokeFingerprint.of(user.passwordHash)
            if (!MessageDigest.isEqual(claimed.toByteArray(), current.toByteArray())) {
                return fail("The user's password has been changed.")
            }
        }
        val blacklist = call.application.attributes.getOrNull(TokenBlacklistKey)
        if (blacklist != null && blacklist.isRevoked(token)) return fail("Token has been blacklisted.")
        context.principal(name, RestflowPrincipal(user, token))
    }

    private companion object {
        const val KEY = "RestflowJwt"
    }
}

/** Configuration of [restflowJwt]. */
@RestflowDsl
public class RestflowJwtConfig internal constructor(name: String?) : AuthenticationProvider.Config(name) {
    /** Where users are looked up by the id in the token. Required. */
    public var userStore: UserStore? = null

    /** The realm named in `WWW-Authenticate` (default `restflow`). */
    public var realm: String = "restflow"

    /** Replaces `application.restflow.jwt`, e.g. with `JwtTokens(settings, clock)` in tests. */
    public var tokens: JwtTokens? = null
}

/**
 * Registers Restflow JWT authentication as provider [name] (default: the unnamed provider) in Ktor's `Authentication`
 * plugin; routes inside `authenticate(name) { … }` then see a [RestflowPrincipal]. Requires the `Restflow` plugin
 * with a JWT key configured.
 */
public fun AuthenticationConfig.restflowJwt(name: String? = null, configure: RestflowJwtConfig.() -> Unit) {
    register(RestflowJwtAuthenticationProvider(RestflowJwtConfig(name).apply(configure)))
}
