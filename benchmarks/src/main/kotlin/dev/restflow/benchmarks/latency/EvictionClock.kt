package dev.restflow.benchmarks.latency

import dev.restflow.cache.CacheBackend
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong

/**
 * A [CacheBackend] decorator that timestamps invalidations: when a [deletePartition] of an [arm]ed partition (or a
 * [deleteNamespace] of its namespace) has **completed** — the backend answered, so every read issued from then on
 * misses — it records `System.nanoTime()` in the partition's [Probe]. Everything else goes straight to [delegate].
 *
 * Why a decorator rather than a reader polling the cache: the registry calls the backend exactly once per evicted
 * partition, so the instant is taken within microseconds of the backend's answer, without adding any load to the
 * measured path (a poller would add Redis round trips competing for the same two cores, and its polling period to
 * every sample). The recorded instant is an upper bound: Redis applied the delete up to one reply and one thread
 * wake-up earlier. Stale reads are still checked by real reads (see `InvalidationLatency.kt`).
 */
internal class EvictionClock(private val delegate: CacheBackend) : CacheBackend by delegate {
    /**
     * One partition waiting to be evicted; [evictedAt] is `System.nanoTime()` of the first completed eviction, or
     * [failed] is set when the first attempt threw (the Redis backend then keeps it in its replay record and applies
     * it before its next read; the instant of that replay is not seen here).
     */
    class Probe {
        private val at = AtomicLong(NOT_YET)
        private val done = CountDownLatch(1)

        /** The eviction instant ([System.nanoTime]); only valid once [await] returned true and not [failed]. */
        val evictedAt: Long get() = at.get()

        /** Whether the first invalidation attempt failed. */
        @Volatile
        var failed: Boolean = false
            private set

        fun record(nanos: Long) {
            if (at.compareAndSet(NOT_YET, nanos)) done.countDown()
        }

        fun fail() {
            if (at.compareAndSet(NOT_YET, FAILED)) {
                failed = true
                done.countDown()
            }
        }

        /** Waits up to [millis] for the eviction; `true` when it happened. */
        fun await(millis: Long): Boolean = done.await(millis, TimeUnit.MILLISECONDS)
    }

    private val armed = ConcurrentHashMap<String, Probe>()

    /** Invalidation calls that failed (the backend threw). */
    val failures: AtomicInteger = AtomicInteger()

    /** Whole-namespace flushes seen (a rule widened instead of evicting one partition). */
    val namespaceFlushes: AtomicInteger = AtomicInteger()

    /** Starts watching [partition] of [namespace]: its next completed invalidation is recorded in the returned probe. */
    fun arm(namespace: String, partition: String): Probe = Probe().also { armed[id(namespace, partition)] = it }

    override suspend fun deletePartition(namespace: String, partition: String) {
        try {
            delegate.deletePartition(namespace, partition)
        } catch (e: Exception) {
            failures.incrementAndGet()
            armed.remove(id(namespace, partition))?.fail()
            throw e
        }
        val now = System.nanoTime()
        armed.remove(id(namespace, partition))?.record(now)
    }

    override suspend fun deleteNamespace(namespace: String) {
        try {
            delegate.deleteNamespace(namespace)
        } catch (e: Exception) {
            failures.incrementAndGet()
            throw e
        }
        val now = System.nanoTime()
        namespaceFlushes.incrementAndGet()
        val prefix = namespace + SEPARATOR
        for (key in armed.keys) if (key.startsWith(prefix)) armed.remove(key)?.record(now)
    }

    private companion object {
        const val NOT_YET = Long.MIN_VALUE
        const val FAILED = Long.MIN_VALUE + 1
        const val SEPARATOR = '\u0000'
        fun id(namespace: String, partition: String) = namespace + SEPARATOR + partition
    }
}
