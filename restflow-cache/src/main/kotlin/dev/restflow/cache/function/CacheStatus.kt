package dev.restflow.cache.function

/** Where a [CachedFunction]'s answer came from. */
public enum class CacheStatus {
    /** A fresh cached value. */
    HIT,

    /** Not cached (or unreadable, or the cache was down): the loader ran. */
    MISS,

    /** A cached value past its TTL but within `staleFor`; a background refresh was started. */
    STALE,

    /** The cache was skipped on purpose ([CachedFunction.bypass]): the loader ran, nothing was read or stored. */
    BYPASS,

    /** The loader ran on purpose and its value replaced the cached one ([CachedFunction.refresh]). */
    REFRESH,
}
