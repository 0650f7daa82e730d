package dev.restflow.ktor.auth.jwt

import com.auth0.jwt.JWT
import com.auth0.jwt.JWTVerifier
import com.auth0.jwt.exceptions.JWTDecodeException
import com.auth0.jwt.exceptions.JWTVerificationException
import com.auth0.jwt.exceptions.TokenExpiredException
import dev.restflow.ktor.settings.JwtSettings
import java.time.Clock
import java.time.Instant
import java.util.UUID

/**
 * Issues and verifies Restflow's JWTs as `restflow.jwt` configures them.
 *
 * Tokens carry `token_type` (access or refresh), `iat`, `exp`, `jti`, the user-id claim and, when configured,
 * `iss` and `aud`. Verification trusts nothing in the token's header but its `alg`, which must equal the configured
 * algorithm exactly (so `none` and algorithm confusion fail, R-01/R-02); `jku`, `x5u` and `jwk` headers are never
 * followed; `exp` is required and, like `nbf` and `iat`, checked against [clock] with the configured leeway
 * issuer and audience must match; the type must be the expected one.
 *
 * Construct once at start-up: the constructor validates the keys and throws
 * [dev.restflow.ktor.settings.RestflowConfigurationException] for keys that do not fit the algorithm. Thread-safe.
 */
public class JwtTokens @JvmOverloads constructor(
    private val settings: JwtSettings,
    private val clock: Clock = Clock.systemUTC(),
) {
    private val keys = JwtKeys.from(settings)
    private val verifier: JWTVerifier = JWT.require(keys.verifier)
        .acceptLeeway(settings.leeway.seconds)
        .withClaimPresence("exp")
        .withClaimPresence("jti")
        .withClaimPresence(TokenType.CLAIM)
        .withClaimPresence(settings.userIdClaim)
        .apply {
            settings.issuer?.let { withIssuer(it) }
            settings.audience?.let { withAudience(it) }
        }
        .let { (it as JWTVerifier.BaseVerification).build(clock) }

    /** Whether this instance can issue tokens (a signing key is configured), not only verify them. */
    public val canIssue: Boolean get() = keys.signer != null

    /**
     * Signs a [type] token for [userId] valid for the configured lifetime from now. [claims] adds claims (strings,
     * numbers, booleans, lists of strings); they cannot replace the registered ones.
     *
     * @throws IllegalStateException when only a verifying key is configured.
     */
    @JvmOverloads
    public fun issue(type: TokenType, userId: String, claims: Map<String, Any?> = emptyMap()): IssuedToken {
        val signer = checkNotNull(keys.signer) { "restflow.jwt.signing-key is not configured: this instance can only verify tokens" }
        val now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        val lifetime = if (type == TokenType.ACCESS) settings.accessTokenLifetime else settings.refreshTokenLifetime
        val expires = now.plus(lifetime)
        val jti = UUID.randomUUID().toString().replace("-", "")
        val builder = JWT.create()
        for ((name, value) in claims) {
            require(name !in RESERVED && name != settings.userIdClaim) { "claim '$name' is set by Restflow" }
            when (value) {
                null -> builder.withNullClaim(name)
                is String -> builder.withClaim(name, value)
                is Int -> builder.withClaim(name, value)
                is Long -> builder.withClaim(name, value)
                is Double -> builder.withClaim(name, value)
                is Boolean -> builder.withClaim(name, value)
                is List<*> -> builder.withClaim(name, value.map { it.toString() })
                else -> builder.withClaim(name, value.toString())
            }
        }
        builder.withClaim(TokenType.CLAIM, type.claimValue)
            .withClaim(settings.userIdClaim, userId)
            .withJWTId(jti)
            .withIssuedAt(now)
            .withExpiresAt(expires)
        settings.issuer?.let { builder.withIssuer(it) }
        settings.audience?.let { builder.withAudience(it) }
        return IssuedToken(builder.sign(signer), type, jti, now, expires)
    }

    /** Checks [token] and that it is of the [expected] type; never throws for any input. */
    public fun verify(token: String, expected: TokenType): TokenVerification {
        if (token.length > MAX_TOKEN_LENGTH) return TokenVerification.Invalid(INVALID)
        val decoded = try {
            JWT.decode(token)
        } catch (_: JWTDecodeException) {
            return TokenVerification.Invalid(INVALID)
        }
        if (decoded.algorithm != settings.algorithm.headerName) return TokenVerification.Invalid(INVALID)
        val verified = try {
            verifier.verify(decoded)
        } catch (_: TokenExpiredException) {
            return TokenVerification.Invalid(EXPIRED)
        } catch (_: JWTVerificationException) {
            return TokenVerification.Invalid(INVALID)
        } catch (_: RuntimeException) {
            return TokenVerification.Invalid(INVALID)
        }
        val type = TokenType.entries.firstOrNull { it.claimValue == verified.getClaim(TokenType.CLAIM).asString() }
        if (type != expected) return TokenVerification.Invalid("Wrong token type, expected '${expected.claimValue}'.")
        val userId = verified.getClaim(settings.userIdClaim).let { it.asString() ?: it.asLong()?.toString() }
            ?: return TokenVerification.Invalid(INVALID)
        return TokenVerification.Valid(VerifiedToken(verified, userId, type))
    }

    /** The current instant of this instance's clock (for callers that compute remaining lifetimes). */
    public fun now(): Instant = clock.instant()

    private companion object {
        const val INVALID = "Token is invalid."
        const val EXPIRED = "Token has expired."
        const val MAX_TOKEN_LENGTH = 8192
        val RESERVED = setOf("iss", "sub", "aud", "exp", "nbf", "iat", "jti", TokenType.CLAIM)
    }
}
