package dev.restflow.ktor.settings

import dev.restflow.RestflowDsl
import java.time.Duration

/**
 * JWT authentication settings (`restflow.jwt`), the counterpart of drf-restflow's `JWT_*` settings.
 *
 * Immutable; built by [JwtSettingsBuilder] from the application config and install-block overrides.
 */
public class JwtSettings internal constructor(b: JwtSettingsBuilder) {
    /** `signing-key`: the HMAC secret, or the PEM private key for RSA/EC algorithms; `null` until configured. */
    public val signingKey: String? = b.signingKey

    /** `verifying-key`: the PEM public key for RSA/EC algorithms; for HMAC the signing key verifies. */
    public val verifyingKey: String? = b.verifyingKey

    /** `algorithm` (default `HS256`). */
    public val algorithm: JwtAlgorithm = b.algorithm

    /** `access-token-lifetime` (default 5 minutes). */
    public val accessTokenLifetime: Duration = b.accessTokenLifetime

    /** `refresh-token-lifetime` (default 1 day). */
    public val refreshTokenLifetime: Duration = b.refreshTokenLifetime

    /** `issuer`: the `iss` claim written and required; `null` means none. */
    public val issuer: String? = b.issuer

    /** `audience`: the `aud` claim written and required; `null` means none. */
    public val audience: String? = b.audience

    /** `user-id-claim` (default `user_id`): the claim that carries the user's id. */
    public val userIdClaim: String = b.userIdClaim

    /** `user-id-field` (default `id`): the user attribute put in [userIdClaim]; one of [userIdFieldAllowlist]. */
    public val userIdField: String = b.userIdField

    /** `user-id-field-allowlist` (default `id, pk, uuid, username, email`). */
    public val userIdFieldAllowlist: Set<String> = b.userIdFieldAllowlist.toSet()

    /** `auth-header-types` (default `Bearer`): accepted `Authorization` schemes, compared ignoring case. */
    public val authHeaderTypes: List<String> = b.authHeaderTypes.toList()

    /** `blacklist-enabled` (default true). */
    public val blacklistEnabled: Boolean = b.blacklistEnabled

    /** `blacklist-backend` (default `cache`). */
    public val blacklistBackend: BlacklistBackend = b.blacklistBackend

    /** `blacklist-cache` (default `default`): the name of the cache that holds the blacklist. */
    public val blacklistCache: String = b.blacklistCache

    /** `blacklist-allow-in-memory` (default false): allow a process-local blacklist (single instance only). */
    public val blacklistAllowInMemory: Boolean = b.blacklistAllowInMemory

    /**
     * `blacklist-timeout` (default 250ms): the longest a blacklist lookup may take; a slower or unreachable store is
     * treated as down (R-10).
     */
    public val blacklistTimeout: Duration = b.blacklistTimeout

    /**
     * `blacklist-fail-open` (default false): when the blacklist store is down, accept tokens unchecked (logged as a
     * warning on every such request) instead of answering 503 `service_unavailable`.
     */
    public val blacklistFailOpen: Boolean = b.blacklistFailOpen

    /**
     * `blacklist-near-cache` (default false): with the cache blacklist on Redis, keep blacklist lookups in process
     * and let Redis announce every revocation (server-assisted client-side caching, `CLIENT TRACKING`), so a request
     * whose token was already checked costs no round trip. A revocation made on another instance then takes effect
     * here when Redis's announcement arrives (typically well under a millisecond) rather than at the very next
     * request; if the announcement connection is lost or silent for two heartbeats (250 ms each), lookups go to
     * Redis again. Off: every request asks Redis (drf-restflow's behaviour). Needs Redis 6 or later.
     */
    public val blacklistNearCache: Boolean = b.blacklistNearCache

    /** `rotate-refresh-tokens` (default true): a refresh returns a new refresh token and revokes the old one. */
    public val rotateRefreshTokens: Boolean = b.rotateRefreshTokens

    /** `leeway` (default 0s): clock skew tolerated for `exp`, `nbf` and `iat`. */
    public val leeway: Duration = b.leeway

    /** `check-user-is-active` (default true): tokens of inactive users are refused. */
    public val checkUserIsActive: Boolean = b.checkUserIsActive

    /** `check-revoke-token` (default false): tokens issued before a password change are refused. */
    public val checkRevokeToken: Boolean = b.checkRevokeToken

    /** `revoke-token-claim` (default `hash_password`): the claim holding the password-hash fingerprint. */
    public val revokeTokenClaim: String = b.revokeTokenClaim

    /** A builder holding these values, for deriving changed settings. */
    public fun toBuilder(): JwtSettingsBuilder = JwtSettingsBuilder().also { it.copyFrom(this) }

    override fun toString(): String =
        "JwtSettings(algorithm=$algorithm, signingKey=${if (signingKey == null) "null" else "***"}, " +
            "accessTokenLifetime=$accessTokenLifetime, refreshTokenLifetime=$refreshTokenLifetime, issuer=$issuer, " +
            "audience=$audience, userIdClaim=$userIdClaim, userIdField=$userIdField, blacklistEnabled=$blacklistEnabled, " +
            "blacklistBackend=$blacklistBackend, rotateRefreshTokens=$rotateRefreshTokens, leeway=$leeway)"
}

/** Mutable values for [JwtSettings]; every property starts at its documented default. */
@RestflowDsl
public class JwtSettingsBuilder internal constructor() {
    /** See [JwtSettings.signingKey]. */
    public var signingKey: String? = null

    /** See [JwtSettings.verifyingKey]. */
    public var verifyingKey: String? = null

    /** See [JwtSettings.algorithm]. */
    public var algorithm: JwtAlgorithm = JwtAlgorithm.HS256

    /** See [JwtSettings.accessTokenLifetime]. */
    public var accessTokenLifetime: Duration = Duration.ofMinutes(5)

    /** See [JwtSettings.refreshTokenLifetime]. */
    public var refreshTokenLifetime: Duration = Duration.ofDays(1)

    /** See [JwtSettings.issuer]. */
    public var issuer: String? = null

    /** See [JwtSettings.audience]. */
    public var audience: String? = null

    /** See [JwtSettings.userIdClaim]. */
    public var userIdClaim: String = "user_id"

    /** See [JwtSettings.userIdField]. */
    public var userIdField: String = "id"

    /** See [JwtSettings.userIdFieldAllowlist]. */
    public var userIdFieldAllowlist: Set<String> = linkedSetOf("id", "pk", "uuid", "username", "email")

    /** See [JwtSettings.authHeaderTypes]. */
    public var authHeaderTypes: List<String> = listOf("Bearer")

    /** See [JwtSettings.blacklistEnabled]. */
    public var blacklistEnabled: Boolean = true

    /** See [JwtSettings.blacklistBackend]. */
    public var blacklistBackend: BlacklistBackend = BlacklistBackend.CACHE

    /** See [JwtSettings.blacklistCache]. */
    public var blacklistCache: String = "default"

    /** See [JwtSettings.blacklistAllowInMemory]. */
    public var blacklistAllowInMemory: Boolean = false

    /** See [JwtSettings.blacklistTimeout]. */
    public var blacklistTimeout: Duration = Duration.ofMillis(250)

    /** See [JwtSettings.blacklistFailOpen]. */
    public var blacklistFailOpen: Boolean = false

    /** See [JwtSettings.blacklistNearCache]. */
    public var blacklistNearCache: Boolean = false

    /** See [JwtSettings.rotateRefreshTokens]. */
    public var rotateRefreshTokens: Boolean = true

    /** See [JwtSettings.leeway]. */
    public var leeway: Duration = Duration.ZERO

    /** See [JwtSettings.checkUserIsActive]. */
    public var checkUserIsActive: Boolean = true

    /** See [JwtSettings.checkRevokeToken]. */
    public var checkRevokeToken: Boolean = false

    /** See [JwtSettings.revokeTokenClaim]. */
    public var revokeTokenClaim: String = "hash_password"

    internal fun copyFrom(s: JwtSettings) {
        signingKey = s.signingKey; verifyingKey = s.verifyingKey; algorithm = s.algorithm
        accessTokenLifetime = s.accessTokenLifetime; refreshTokenLifetime = s.refreshTokenLifetime
        issuer = s.issuer; audience = s.audience; userIdClaim = s.userIdClaim; userIdField = s.userIdField
        userIdFieldAllowlist = s.userIdFieldAllowlist; authHeaderTypes = s.authHeaderTypes
        blacklistEnabled = s.blacklistEnabled; blacklistBackend = s.blacklistBackend; blacklistCache = s.blacklistCache
        blacklistAllowInMemory = s.blacklistAllowInMemory; blacklistTimeout = s.blacklistTimeout
        blacklistFailOpen = s.blacklistFailOpen; rotateRefreshTokens = s.rotateRefreshTokens
        leeway = s.leeway; checkUserIsActive = s.checkUserIsActive; checkRevokeToken = s.checkRevokeToken
        revokeTokenClaim = s.revokeTokenClaim
    }

    internal fun validate(problems: Problems) {
        val p = "restflow.jwt"
        if (userIdField !in userIdFieldAllowlist) {
            problems.add(
                "$p.user-id-field: '$userIdField' is not in user-id-field-allowlist; " +
                    "valid choices: ${userIdFieldAllowlist.joinToString(", ")}",
            )
        }
        problems.positive("$p.access-token-lifetime", accessTokenLifetime)
        problems.positive("$p.refresh-token-lifetime", refreshTokenLifetime)
        problems.positive("$p.blacklist-timeout", blacklistTimeout)
        if (leeway.isNegative) problems.add("$p.leeway: must not be negative, got $leeway")
        if (authHeaderTypes.isEmpty() || authHeaderTypes.any { it.isBlank() || it.any(Char::isWhitespace) }) {
            problems.add("$p.auth-header-types: must list at least one scheme without spaces, got $authHeaderTypes")
        }
        problems.notBlank("$p.user-id-claim", userIdClaim)
        problems.notBlank("$p.blacklist-cache", blacklistCache)
        problems.notBlank("$p.revoke-token-claim", revokeTokenClaim)
        signingKey?.let { key ->
            val pem = key.trimStart().startsWith("-----BEGIN")
            when (algorithm.family) {
                JwtAlgorithm.KeyFamily.HMAC -> if (pem) {
                    problems.add(
                        "$p.signing-key: a PEM key cannot be used with ${algorithm.headerName}; " +
                            "use an RS/PS/ES algorithm for key pairs, or a secret string for HMAC",
                    )
                } else if (key.isBlank()) {
                    problems.add("$p.signing-key: must not be blank")
                }
                else -> if (!pem) {
                    problems.add(
                        "$p.signing-key: ${algorithm.headerName} needs a PEM private key " +
                            "(-----BEGIN PRIVATE KEY-----), not a shared secret",
                    )
                }
            }
        }
        verifyingKey?.let { key ->
            if (algorithm.family == JwtAlgorithm.KeyFamily.HMAC) {
                problems.add("$p.verifying-key: not used with ${algorithm.headerName}; HMAC verifies with signing-key")
            } else if (!key.trimStart().startsWith("-----BEGIN")) {
                problems.add("$p.verifying-key: ${algorithm.headerName} needs a PEM public key (-----BEGIN PUBLIC KEY-----)")
            }
        }
    }
}
