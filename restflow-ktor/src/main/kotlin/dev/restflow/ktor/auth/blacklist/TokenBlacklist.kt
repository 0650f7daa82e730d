package dev.restflow.ktor.auth.blacklist

import java.time.Instant

/**
 * Where revoked tokens are remembered, shared by every instance of the application.
 *
 * Entries are opaque ids (Restflow writes `jti:<jti>` for one token, `family:<id>` for a refresh-token family and
 * keeps per-user "revoked before" instants); every entry is kept until its token would have expired anyway and then
 * dropped, so the store never grows without bound.
 *
 * Implementations are thread-safe, suspend without blocking their caller's thread, and signal an unreachable store
 * by throwing (any exception): Restflow bounds every call by `restflow.jwt.blacklist-timeout` and applies
 * `blacklist-fail-open` itself. Implementations: [CacheTokenBlacklist], [DatabaseTokenBlacklist].
 */
public interface TokenBlacklist {
    /**
     * Lists [id] until [expiresAt]. Returns `true` when this call added it and `false` when it was already listed:
     * the check and the write are one atomic step across instances, which is what makes refresh-token rotation
     * single-use under concurrency.
     */
    public suspend fun add(id: String, expiresAt: Instant): Boolean

    /** Whether any of [ids] is listed and not expired. */
    public suspend fun containsAny(ids: Collection<String>): Boolean

    /**
     * Records that every token of [userId] issued at or before [revokedBefore] is revoked ("log out everywhere"),
     * kept until [expiresAt] (the longest token lifetime from now). A later call replaces an earlier one.
     */
    public suspend fun revokeUserTokens(userId: String, revokedBefore: Instant, expiresAt: Instant)

    /** The instant of the last [revokeUserTokens] for [userId] still kept, or `null`. */
    public suspend fun userTokensRevokedBefore(userId: String): Instant?
}
