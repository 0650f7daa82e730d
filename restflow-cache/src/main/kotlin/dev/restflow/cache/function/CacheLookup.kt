package dev.restflow.cache.function

import java.time.Instant

/**
 * The answer of [CachedFunction.getCacheOnly]: [Found] or [Missing], never loading. Distinct from a cached `null`,
 * which is a [Found] whose value is `null`.
 */
public sealed interface CacheLookup<out T> {
    /** A cached value, fresh or (when [stale]) within its stale window. */
    public class Found<out T> internal constructor(
        /** The cached value. */
        public val value: T,
        /** When it was stored. */
        public val cachedAt: Instant,
        /** When it stops (or stopped) being fresh. */
        public val resetAt: Instant,
        /** `true` when past [resetAt] but still within `staleFor`. */
        public val stale: Boolean,
    ) : CacheLookup<T> {
        override fun toString(): String = "Found($value, cachedAt=$cachedAt, stale=$stale)"
    }

    /** Nothing usable is cached (absent, expired, invalidated, unreadable, or the cache is down). */
    public object Missing : CacheLookup<Nothing> {
        override fun toString(): String = "Missing"
    }
}
