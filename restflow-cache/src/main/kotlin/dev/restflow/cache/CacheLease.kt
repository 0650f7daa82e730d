package dev.restflow.cache

import java.time.Instant

/**
 * An exclusive, expiring right to load one key, granted by [CacheBackend.tryAcquireLease].
 *
 * [fencingToken] grows strictly with every lease granted in the key's namespace, so a holder that was paused past
 * [expiresAt] can be recognised by a downstream system that remembers the highest token it saw. A lease whose
 * holder dies simply expires at [expiresAt]; [CacheBackend.releaseLease] frees it earlier.
 */
public class CacheLease internal constructor(
    /** The key the lease is for. */
    public val key: CacheEntryKey,
    /** Strictly increasing per namespace; never reused. */
    public val fencingToken: Long,
    /** When the lease lapses if not released, by the backend's clock. */
    public val expiresAt: Instant,
) {
    override fun toString(): String = "CacheLease($key, token=$fencingToken, expiresAt=$expiresAt)"
}
