package dev.restflow.cache.twotier

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheBackendContract
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.ManualClock
import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.testing.TestServices
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

class TwoTierCacheBackendTest : CacheBackendContract() {
    private val channel = "rf:test-invalidate:" + UUID.randomUUID()
    private val clockB = ManualClock(System.currentTimeMillis())

    private fun redis() = RedisCacheBackend.builder(TestServices.redisUri()).commandTimeout(java.time.Duration.ofSeconds(2)).build()

    override fun createBackend(): CacheBackend = TwoTierCacheBackend.builder(redis()).channel(channel).build()

    override fun nowMillis(): Long = System.currentTimeMillis()

    /** A second application instance sharing Redis and the channel, with a clock the test moves; subscribed from the start. */
    private val instanceB: TwoTierCacheBackend = TwoTierCacheBackend.builder(redis()).channel(channel).clock(clockB).build()

    @AfterAll
    fun closeB() {
        instanceB.close()
    }

    /** Waits for the remote invalidation that matches; other tests' messages on the shared channel are skipped. */
    private suspend fun awaitMessage(matches: (InvalidationMessage) -> Boolean): InvalidationMessage {
        while (true) {
            val message = instanceB.remoteInvalidations.receive()
            if (matches(message)) return message
        }
    }

    private fun read(backend: CacheBackend, key: CacheEntryKey) = runBlocking {
        (backend.get(key) as? CacheRead.Hit)?.value?.decodeToString()
    }

    @Test
    fun `a delete on one instance evicts the other instance's in-process copy`() = runBlocking<Unit> {
        val key = CacheEntryKey.of(ns(), "a")
        backend.set(key, "v1".toByteArray(), 1.minutes)
        assertEquals("v1", read(instanceB, key))
        backend.delete(key)
        // the set and the delete each broadcast; the second message is the delete's
        repeat(2) { awaitMessage { it.kind == InvalidationMessage.Kind.KEY && it.id == key.id } }
        assertIs<CacheRead.Miss>(instanceB.get(key))
    }

    @Test
    fun `partition and namespace invalidations reach the other instance`() = runBlocking<Unit> {
        val n = ns()
        val inPartition = CacheEntryKey.of(n, "a", "p")
        val other = CacheEntryKey.of(n, "b", "q")
        backend.set(inPartition, "a".toByteArray(), 1.minutes)
        backend.set(other, "b".toByteArray(), 1.minutes)
        assertEquals("a", read(instanceB, inPartition))
        assertEquals("b", read(instanceB, other))
        backend.deletePartition(n, "p")
        awaitMessage { it.kind == InvalidationMessage.Kind.PARTITION && it.namespace == n }
        assertIs<CacheRead.Miss>(instanceB.get(inPartition))
        assertEquals("b", read(instanceB, other))
        backend.deleteNamespace(n)
        awaitMessage { it.kind == InvalidationMessage.Kind.NAMESPACE && it.namespace == n }
        assertIs<CacheRead.Miss>(instanceB.get(other))
    }

    @Test
    fun `a write on one instance replaces the other's in-process copy`() = runBlocking<Unit> {
        val key = CacheEntryKey.of(ns(), "a")
        backend.set(key, "v1".toByteArray(), 1.minutes)
        assertEquals("v1", read(instanceB, key))
        backend.set(key, "v2".toByteArray(), 1.minutes)
        // each set broadcasts; the second message is the one of v2
        repeat(2) { awaitMessage { it.id == key.id } }
        assertEquals("v2", read(instanceB, key))
    }

    @Test
    fun `without a message the in-process copy is served at most for the l1 ttl`() = runBlocking<Unit> {
        val key = CacheEntryKey.of(ns(), "a")
        val bypassingL1 = redis()
        try {
            bypassingL1.set(key, "v1".toByteArray(), 1.minutes)
            assertEquals("v1", read(instanceB, key))
            bypassingL1.set(key, "v2".toByteArray(), 1.minutes) // no broadcast: a lost message
            assertEquals("v1", read(instanceB, key))
            clockB.advance(5.seconds)
            assertEquals("v2", read(instanceB, key))
        } finally {
            bypassingL1.close()
        }
    }
}
