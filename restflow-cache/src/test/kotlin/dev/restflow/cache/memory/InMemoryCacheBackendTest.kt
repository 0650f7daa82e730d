package dev.restflow.cache.memory

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheBackendContract
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.ManualClock
import kotlinx.coroutines.runBlocking
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.time.Duration.Companion.days
import kotlin.time.Duration.Companion.seconds

class InMemoryCacheBackendTest : CacheBackendContract() {
    private val clock = ManualClock()

    override fun createBackend(): CacheBackend = InMemoryCacheBackend.builder().clock(clock).build()

    override fun nowMillis(): Long = clock.millis()

    private val key = CacheEntryKey.of("mem", "mem::a")

    @Test
    fun `an entry expires when the clock passes its ttl`() = runBlocking<Unit> {
        val k = CacheEntryKey.of(ns(), "a")
        backend.set(k, "v".toByteArray(), 10.seconds)
        clock.advance(9.seconds)
        assertIs<CacheRead.Hit>(backend.get(k))
        clock.advance(1.seconds)
        assertIs<CacheRead.Miss>(backend.get(k))
    }

    @Test
    fun `a ttl above the maximum is clamped`() = runBlocking<Unit> {
        val local = InMemoryCacheBackend.builder().clock(clock).maximumTtl(java.time.Duration.ofMinutes(1)).build()
        local.set(key, "v".toByteArray(), 2.days)
        clock.advance(61.seconds)
        assertIs<CacheRead.Miss>(local.get(key))
    }

    @Test
    fun `a dead holder's lease expires`() = runBlocking<Unit> {
        val k = CacheEntryKey.of(ns(), "lease")
        assertNotNull(backend.tryAcquireLease(k, 5.seconds))
        assertNull(backend.tryAcquireLease(k, 5.seconds))
        clock.advance(5.seconds)
        assertNotNull(backend.tryAcquireLease(k, 5.seconds))
    }

    @Test
    fun `a counter window starts with its first increment and is not extended`() = runBlocking<Unit> {
        val k = CacheEntryKey.of(ns(), "window")
        backend.increment(k, 1, 10.seconds)
        clock.advance(9.seconds)
        assertEquals(2, backend.increment(k, 1, 10.seconds))
        clock.advance(1.seconds)
        assertEquals(1, backend.increment(k, 1, 10.seconds))
    }

    @Test
    fun `a stamp older than the tombstone ttl is refused`() = runBlocking<Unit> {
        val k = CacheEntryKey.of(ns(), "slow")
        val stamp = backend.get(k).stamp
        clock.advance(61.seconds)
        assertFalse(backend.set(k, "late".toByteArray(), 10.seconds, ifUnchangedSince = stamp))
    }

    @Test
    fun `the size bound evicts entries`() = runBlocking<Unit> {
        val small = InMemoryCacheBackend.builder().maximumSize(10).build()
        repeat(1_000) { small.set(CacheEntryKey.of("n", "k$it"), ByteArray(1), 10.seconds) }
        small.cleanUpForTests()
        assertEquals(true, (0 until 1_000).count { small.get(CacheEntryKey.of("n", "k$it")) is CacheRead.Hit } <= 10)
    }
}
