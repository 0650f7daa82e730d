package dev.restflow.ktor.auth.blacklist

import java.time.Instant
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope

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

    /**
     * Whether a token is revoked: one of its [ids] is listed, or [userId]'s tokens were revoked at or after
     * [issuedAt] (a token without an issue time is revoked by any "revoked before"). One call, so a store can answer
     * in one round trip; the default asks [containsAny] and [userTokensRevokedBefore] at the same time.
     */
    public suspend fun isRevoked(ids: Collection<String>, userId: String, issuedAt: Instant?): Boolean = coroutineScope {
        val before = async { userTokensRevokedBefore(userId) }
        if (containsAny(ids)) {
            before.cancel()
            true
        } else {
            revokedBy(before.await(), issuedAt)
        }
    }

    /**
     * `true` when every call stops promptly once cancelled (no blocking I/O): Restflow then bounds calls by
     * `blacklist-timeout` where they run. `false` (the default) makes Restflow run each call detached on an IO
     * thread, so even a call stuck in blocking I/O cannot hold the request past the bound.
     */
    public val honoursCancellation: Boolean get() = false

    public companion object {
        /** Whether a token issued at [issuedAt] (`null`: unknown) falls under a "revoked before" of [before]. */
        @JvmStatic
        public fun revokedBy(before: Instant?, issuedAt: Instant?): Boolean =
            before != null && (issuedAt == null || !issuedAt.isAfter(before))
    }
}
