package dev.restflow.cache.redis

import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong

/**
 * The in-process copy of reads of a few namespaces of a [RedisCacheBackend] (Redis "client-side caching"): hits and
 * misses are kept here and served without a round trip while [NearCacheTracker] holds a tracking connection on which
 * Redis announces every write under those namespaces. Any announcement, any local write to a covered namespace and
 * any doubt about the tracking connection empties the whole copy.
 *
 * Reads race with invalidations: a read that went to Redis before an invalidation was announced must not store its
 * (possibly older) answer after the copy was emptied. Every emptying advances [epoch]; a read takes the epoch before
 * asking Redis and stores its answer only if the epoch has not moved, checking again after storing.
 *
 * Entries are served only while the tracker vouches for the connection ([aliveUntilNanos], renewed by each
 * heartbeat), never past [maxAgeNanos] after they were stored, and a hit never past its own expiry. At most
 * [maxEntries] are kept; past it new answers are simply not kept.
 */
internal class NearCache(
    val namespaces: Set<String>,
    private val maxEntries: Int,
    private val maxAgeNanos: Long,
) {
    private class Entry(val read: CacheRead, val storedAt: Long, val expiresAt: Long)

    private val entries = ConcurrentHashMap<CacheEntryKey, Entry>()
    private val epoch = AtomicLong()
    private val served = AtomicLong()
    private val started = AtomicLong()

    /** Until when (System.nanoTime) the tracking connection is known to be listening; 0 while it is not. */
    @Volatile
    private var aliveUntilNanos = 0L

    fun covers(namespace: String): Boolean = namespace in namespaces

    /** The current epoch, taken before a read goes to Redis. */
    fun epoch(): Long = epoch.get()

    /** The kept answer for [key], or `null` when there is none to serve (absent, too old, expired, or not vouched for). */
    fun lookup(key: CacheEntryKey): CacheRead? {
        val now = System.nanoTime()
        if (now - aliveUntilNanos >= 0) return null
        val entry = entries[key] ?: return null
        if (now - entry.storedAt > maxAgeNanos || now - entry.expiresAt >= 0) {
            entries.remove(key, entry)
            return null
        }
        served.incrementAndGet()
        return entry.read
    }

    /** Keeps [read] of [key], read from Redis after [epochBefore] was taken, unless an invalidation came in between. */
    fun store(key: CacheEntryKey, read: CacheRead, epochBefore: Long) {
        if (epoch.get() != epochBefore || entries.size >= maxEntries) return
        val now = System.nanoTime()
        val expiresAt = if (read is CacheRead.Hit) {
            now + (read.expiresAt.toEpochMilli() - read.stamp.issuedAtMillis).coerceAtLeast(0) * 1_000_000
        } else {
            now + maxAgeNanos + 1
        }
        val entry = Entry(read, now, expiresAt)
        entries[key] = entry
        if (epoch.get() != epochBefore) entries.remove(key, entry)
    }

    /** Forgets everything: a write was announced or made, or the connection is in doubt. */
    fun invalidateAll() {
        epoch.incrementAndGet()
        entries.clear()
    }

    /** The tracking connection answered at [nowNanos]: vouch for it until [nowNanos] + [forNanos]. */
    fun vouch(nowNanos: Long, forNanos: Long) {
        aliveUntilNanos = nowNanos + forNanos
    }

    /** Tracking (re)starts: forget what was kept while nobody listened, then vouch. */
    fun restart(nowNanos: Long, forNanos: Long) {
        started.incrementAndGet()
        invalidateAll()
        vouch(nowNanos, forNanos)
    }

    /** The tracking connection is lost or silent: serve nothing more and forget everything. */
    fun suspend() {
        aliveUntilNanos = System.nanoTime()
        invalidateAll()
    }

    /** Whether entries may be served now. */
    val isServing: Boolean get() = System.nanoTime() - aliveUntilNanos < 0

    /** How many reads were answered from the near cache (`restflow.cache.near.hits`). */
    val hits: Long get() = served.get()

    /** How many times tracking was (re)established, for tests. */
    val restarts: Long get() = started.get()

    /** How many answers are kept, for tests. */
    val size: Int get() = entries.size
}
