package dev.restflow.cache.function

import java.time.Instant

/**
 * A value of a [CachedFunction] with where it came from: [status], when it was cached ([cachedAt]) and when it stops
 * being fresh ([resetAt]); both `null` when the value was not stored (bypass, not cacheable, cache down).
 */
public class CacheResult<out T> internal constructor(
    /** The value; may be `null` when the function's type is nullable (a cached `null` is a [CacheStatus.HIT]). */
    public val value: T,
    /** Where [value] came from. */
    public val status: CacheStatus,
    /** When [value] was computed and stored, or `null` when it was not stored. */
    public val cachedAt: Instant?,
    /** When the stored [value] stops being fresh (start of the stale window), or `null` when it was not stored. */
    public val resetAt: Instant?,
    /** `true` when the cache could not be read and the value was loaded without it. */
    public val degraded: Boolean,
) {
    override fun toString(): String = "CacheResult($status, value=$value, cachedAt=$cachedAt, resetAt=$resetAt, degraded=$degraded)"
}
