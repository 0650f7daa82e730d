package dev.restflow.cache.redis

import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.CacheStamp
import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertSame

/** The near cache's own rules, without Redis: what it keeps, for how long, and the read/invalidation race. */
class NearCacheTest {
    private val key = CacheEntryKey.of("ns", "k")
    private val miss = CacheRead.Miss(CacheStamp(1, 1_000))
    private val minute = 60_000_000_000L

    private fun vouched(maxEntries: Int = 10, maxAgeNanos: Long = minute) =
        NearCache(setOf("ns"), maxEntries, maxAgeNanos).also { it.restart(System.nanoTime(), minute) }

    @Test
    fun `nothing is served before the tracking connection vouches, or after it is suspended`() {
        val near = NearCache(setOf("ns"), 10, minute)
        near.store(key, miss, near.epoch())
        assertNull(near.lookup(key))
        near.restart(System.nanoTime(), minute)
        near.store(key, miss, near.epoch())
        assertSame(miss, near.lookup(key))
        near.suspend()
        assertNull(near.lookup(key))
        assertEquals(0, near.size)
    }

    @Test
    fun `an answer read before an invalidation is not kept after it`() {
        val near = vouched()
        val epoch = near.epoch()
        // the read is in flight in Redis when the write is announced
        near.invalidateAll()
        near.store(key, miss, epoch)
        assertNull(near.lookup(key))
        assertEquals(0, near.size)
    }

    @Test
    fun `a hit is served until its own expiry, anything until the maximum age`() {
        val near = vouched(maxAgeNanos = minute)
        val expired = CacheRead.Hit(byteArrayOf(1), Instant.ofEpochMilli(1_000), CacheStamp(1, 1_000))
        near.store(key, expired, near.epoch())
        assertNull(near.lookup(key), "a hit with no time left is not served")
        val live = CacheRead.Hit(byteArrayOf(1), Instant.ofEpochMilli(61_000), CacheStamp(1, 1_000))
        near.store(key, live, near.epoch())
        assertSame(live, near.lookup(key))

        val young = vouched(maxAgeNanos = 1)
        young.store(key, miss, young.epoch())
        val start = System.nanoTime()
        while (System.nanoTime() - start < 10) Thread.onSpinWait()
        assertNull(young.lookup(key), "older than the maximum age")
    }

    @Test
    fun `past the maximum size new answers are not kept, and only covered namespaces count`() {
        val near = vouched(maxEntries = 2)
        near.store(CacheEntryKey.of("ns", "1"), miss, near.epoch())
        near.store(CacheEntryKey.of("ns", "2"), miss, near.epoch())
        near.store(CacheEntryKey.of("ns", "3"), miss, near.epoch())
        assertEquals(2, near.size)
        assertNull(near.lookup(CacheEntryKey.of("ns", "3")))
        assertEquals(true, near.covers("ns"))
        assertEquals(false, near.covers("other"))
    }
}
