package dev.restflow.cache.function

import dev.restflow.RestflowDsl
import io.micrometer.core.instrument.MeterRegistry
import java.time.Clock
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toKotlinDuration

/**
 * Options of a [CachedFunction] beyond its key and TTL. Kotlin sets them in the `configure` block of
 * [dev.restflow.cache.function.cached], Java through [dev.restflow.cache.java.RestflowCache]; every function returns
 * this object. Not thread-safe; read once when the function is built.
 */
@RestflowDsl
public class CachedFunctionConfig<T> internal constructor() {
    internal var staleFor: Duration = Duration.ZERO
    internal var cacheIf: ((T) -> Boolean)? = null
    internal var cacheUnless: ((T) -> Boolean)? = null
    internal var timeSource: Clock = Clock.systemUTC()
    internal var meterRegistry: MeterRegistry? = null
    internal var distributedLease: Boolean = true
    internal var leaseTtl: Duration = 10.seconds
    internal var leaseWait: Duration = 2.seconds
    internal var leasePollInterval: Duration = 10.milliseconds

    /**
     * Serve a value for this long after its TTL with status [CacheStatus.STALE] while one background load
     * refreshes it (stale-while-revalidate). Default zero: no stale serving.
     */
    public fun staleFor(duration: Duration): CachedFunctionConfig<T> = apply {
        require(!duration.isNegative()) { "staleFor must not be negative, was $duration" }
        staleFor = duration
    }

    /** Java twin of the [Duration] overload. */
    public fun staleFor(duration: java.time.Duration): CachedFunctionConfig<T> = staleFor(duration.toKotlinDuration())

    /** Store a loaded value only when [predicate] holds. Exclusive with [cacheUnless]. */
    public fun cacheIf(predicate: CachePredicate<T>): CachedFunctionConfig<T> = apply {
        require(cacheUnless == null) { "cacheIf and cacheUnless are exclusive; declare one" }
        cacheIf = predicate::test
    }

    /** Store a loaded value unless [predicate] holds. Exclusive with [cacheIf]. */
    public fun cacheUnless(predicate: CachePredicate<T>): CachedFunctionConfig<T> = apply {
        require(cacheIf == null) { "cacheIf and cacheUnless are exclusive; declare one" }
        cacheUnless = predicate::test
    }

    /** The clock of cached-at and reset-at times (default the system UTC clock); tests inject a manual one. */
    public fun clock(clock: Clock): CachedFunctionConfig<T> = apply { timeSource = clock }

    /**
     * Records `restflow.cache.requests` (tagged by status), `restflow.cache.loads`, `restflow.cache.load.failures`,
     * `restflow.cache.degraded.reads`, `restflow.cache.evictions` and the `restflow.cache.load` timer in [registry],
     * all tagged with the key's namespace and function.
     */
    public fun meterRegistry(registry: MeterRegistry): CachedFunctionConfig<T> = apply { meterRegistry = registry }

    /**
     * Whether concurrent misses on different instances share one load through a backend lease (default `true`).
     */
    public fun distributedLease(enabled: Boolean): CachedFunctionConfig<T> = apply { distributedLease = enabled }

    /**
     * The cross-instance lease: [enabled] as in the one-argument overload; [ttl] bounds how long a dead loader blocks
     * the others (default 10 s); [wait] bounds how long an instance waits for another's load before loading itself
     * (default 2 s), reading the cache every [pollInterval] (default 10 ms).
     */
    public fun distributedLease(enabled: Boolean, ttl: Duration, wait: Duration, pollInterval: Duration): CachedFunctionConfig<T> =
        apply {
            require(ttl.isPositive() && wait.isPositive() && pollInterval.isPositive()) { "lease durations must be positive" }
            distributedLease = enabled
            leaseTtl = ttl
            leaseWait = wait
            leasePollInterval = pollInterval
        }

    /** Java twin of the [Duration] overload. */
    public fun distributedLease(
        enabled: Boolean,
        ttl: java.time.Duration,
        wait: java.time.Duration,
        pollInterval: java.time.Duration,
    ): CachedFunctionConfig<T> =
        distributedLease(enabled, ttl.toKotlinDuration(), wait.toKotlinDuration(), pollInterval.toKotlinDuration())
}

/** A condition on a loaded value, for [CachedFunctionConfig.cacheIf] and [CachedFunctionConfig.cacheUnless]. */
public fun interface CachePredicate<in T> {
    /** Whether the condition holds for [value]. */
    public fun test(value: T): Boolean
}
