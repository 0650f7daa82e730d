package dev.restflow.cache.redis

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheBackendContract
import dev.restflow.cache.CacheEntryKey
import dev.restflow.testing.TestServices
import io.lettuce.core.RedisClient
import kotlinx.coroutines.runBlocking
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

class RedisCacheBackendTest : CacheBackendContract() {
    override fun createBackend(): CacheBackend = RedisCacheBackend.builder(TestServices.redisUri()).build()

    override fun nowMillis(): Long = System.currentTimeMillis()

    private fun <T> raw(block: (io.lettuce.core.api.sync.RedisCommands<String, String>) -> T): T {
        val client = RedisClient.create(TestServices.redisUri())
        try {
            client.connect().use { return block(it.sync()) }
        } finally {
            client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1))
        }
    }

    @Test
    fun `every key of a namespace shares one cluster slot through its hash tag`() = runBlocking<Unit> {
        val redis = backend as RedisCacheBackend
        val ns = "users{x}%"
        val key = CacheEntryKey.of(ns, "users::f::id=1::", "id=1")
        redis.set(key, "v".toByteArray(), 1.minutes)
        redis.deletePartition(ns, "id=1")
        redis.increment(key, 1, 1.minutes)
        val names = raw { it.keys("rf:{users%7Bx%7D%25}:*") }
        assertTrue(names.size >= 4, "keys: $names")
        val slots = names.map { io.lettuce.core.cluster.SlotHash.getSlot(it) }.toSet()
        assertEquals(1, slots.size, "keys $names map to slots $slots")
    }

    @Test
    fun `a lease lapses by itself through its redis ttl`() = runBlocking<Unit> {
        val key = CacheEntryKey.of(ns(), "lease")
        assertNotNull(backend.tryAcquireLease(key, 7.seconds))
        val pttl = raw { it.pttl("rf:{${key.namespace}}:l:${key.id}") }
        assertTrue(pttl in 1..7_000, "lease pttl $pttl")
    }

    @Test
    fun `a counter gets its ttl once, at creation`() = runBlocking<Unit> {
        val key = CacheEntryKey.of(ns(), "window")
        backend.increment(key, 1, 9.seconds)
        raw { it.pexpire("rf:{${key.namespace}}:c:${key.id}", 3_000) }
        backend.increment(key, 1, 9.seconds)
        val pttl = raw { it.pttl("rf:{${key.namespace}}:c:${key.id}") }
        assertTrue(pttl in 1..3_000, "counter pttl $pttl")
    }
}
