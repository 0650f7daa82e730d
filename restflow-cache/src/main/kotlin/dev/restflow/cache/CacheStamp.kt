package dev.restflow.cache

/**
 * An opaque token handed out by every [CacheBackend.get]: it records the point in the backend's history at which
 * the read happened. Passing it back to [CacheBackend.set] as `ifUnchangedSince` makes the write conditional: it is
 * refused when the key, its partition or its namespace was deleted or invalidated after the read, so a value loaded
 * before a concurrent invalidation is never written after it.
 *
 * A stamp is only meaningful for the backend instance (or the shared Redis) that issued it and only for a bounded
 * time (the backend's tombstone TTL); an older stamp makes the conditional write fail safe (refused).
 */
public class CacheStamp internal constructor(
    internal val sequence: Long,
    internal val issuedAtMillis: Long,
) {
    override fun toString(): String = "CacheStamp($sequence@$issuedAtMillis)"
}
