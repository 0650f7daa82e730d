package dev.restflow.cache

import kotlin.time.Duration

/** [ttl] in whole milliseconds, at least 1; fails with [IllegalArgumentException] unless positive. */
internal fun positiveMillis(ttl: Duration): Long {
    require(ttl.isPositive()) { "a TTL must be positive, was $ttl" }
    return ttl.inWholeMilliseconds.coerceAtLeast(1)
}
