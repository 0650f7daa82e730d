package dev.restflow.cache.redis

import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.CacheUnavailableException
import dev.restflow.testing.RedisServerHandle
import dev.restflow.testing.TestServices
import io.lettuce.core.KillArgs
import io.lettuce.core.RedisClient
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.TestInstance
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.minutes

/**
 * The near cache of [RedisCacheBackend.Builder.nearCache] on a private embedded Redis: two backends play two
 * application instances sharing it. Waits are bounded polls on an observable condition (the tracking announcement
 * arrives asynchronously by design), never fixed sleeps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisNearCacheTest {
    private val server: RedisServerHandle = TestServices.newRedisServer()
    private val namespace = "near-" + UUID.randomUUID()
    private val other = "plain-" + UUID.randomUUID()

    private fun backend() = RedisCacheBackend.builder(server.uri)
        .nearCache(namespace)
        .nearCacheHeartbeat(java.time.Duration.ofMillis(100))
        .build()

    private val a = backend()
    private val b = backend()

    @AfterEach
    fun thaw() = server.thaw()

    @AfterAll
    fun close() {
        a.close()
        b.close()
        server.stop()
    }

    private fun key(name: String, ns: String = namespace) = CacheEntryKey.of(ns, name + "-" + UUID.randomUUID())

    /** Polls [condition] every few milliseconds for up to 5 s; fails with [what] if it never holds. */
    private suspend fun eventually(what: String, condition: suspend () -> Boolean) {
        val held = withTimeoutOrNull(5_000) {
            while (!condition()) delay(5)
            true
        }
        assertTrue(held == true, "never: $what")
    }

    private suspend fun serving(backend: RedisCacheBackend) = eventually("the near cache serves") { backend.near!!.isServing }

    @Test
    fun `repeated reads of a near-cached namespace are answered in process, others always go to Redis`() = runBlocking {
        serving(a)
        val near = key("k")
        val plain = key("k", other)
        a.set(near, byteArrayOf(1), 1.minutes)
        a.set(plain, byteArrayOf(2), 1.minutes)
        // Redis announces the set above asynchronously; once that announcement has been handled, a round of ten
        // reads goes to Redis at most once (the first) and is answered in process at least nine times; the ten
        // uncovered reads of the round never count
        eventually("a round of ten reads answered at least nine times in process") {
            val before = a.near!!.hits
            repeat(10) {
                assertIs<CacheRead.Hit>(a.get(near))
                assertIs<CacheRead.Hit>(a.get(plain))
            }
            val served = a.near!!.hits - before
            assertTrue(served <= 10, "an uncovered read was served in process: $served")
            served >= 9L
        }
        val many = a.getMany(listOf(near, plain, key("absent")))
        assertEquals(listOf(true, true, false), many.map { it is CacheRead.Hit })
    }

    @Test
    fun `a write through this backend is read back at once`() = runBlocking {
        serving(a)
        val k = key("own")
        assertIs<CacheRead.Miss>(a.get(k))
        assertIs<CacheRead.Miss>(a.get(k))
        a.set(k, byteArrayOf(7), 1.minutes)
        assertEquals(listOf<Byte>(7), (a.get(k) as CacheRead.Hit).value.toList())
        a.delete(k)
        assertIs<CacheRead.Miss>(a.get(k))
        a.set(k, byteArrayOf(8), 1.minutes)
        assertIs<CacheRead.Hit>(a.get(k))
        a.deletePartition(k.namespace, k.partition)
        assertIs<CacheRead.Miss>(a.get(k))
        Unit
    }

    @Test
    fun `a write by another instance is announced by Redis and evicts what this one kept`() = runBlocking {
        serving(a)
        serving(b)
        val k = key("shared")
        assertIs<CacheRead.Miss>(a.get(k))
        assertIs<CacheRead.Miss>(a.getMany(listOf(k, key("x"))).first())
        assertTrue(a.near!!.size > 0, "the misses are kept")
        b.set(k, byteArrayOf(3), 1.minutes)
        eventually("A sees B's write") { a.get(k) is CacheRead.Hit }
        b.deleteNamespace(namespace)
        eventually("A sees B's namespace flush") { a.get(k) is CacheRead.Miss }
    }

    @Test
    fun `a lost tracking connection is re-established, and what was written meanwhile is not served after it returns`() = runBlocking {
        serving(a)
        val k = key("lost")
        assertIs<CacheRead.Miss>(a.get(k))
        val restarts = a.near!!.restarts
        val id = checkNotNull(a.tracker!!.clientId())
        RedisClient.create(server.uri).use { admin ->
            admin.connect().use { assertEquals(1L, it.sync().clientKill(KillArgs.Builder.id(id))) }
        }
        // written after A's tracking connection is gone: no announcement of it ever reaches A
        b.set(k, byteArrayOf(4), 1.minutes)
        eventually("A's tracking is re-established") { a.near!!.restarts > restarts && a.near!!.isServing }
        assertIs<CacheRead.Hit>(a.get(k))
        assertTrue(checkNotNull(a.tracker!!.clientId()) != id, "a new connection")
    }

    @Test
    fun `a frozen Redis stops the near cache within two heartbeats, so reads fail instead of being served`() = runBlocking {
        backend().use { c ->
            serving(c)
            val k = key("frozen")
            assertIs<CacheRead.Miss>(c.get(k))
            assertIs<CacheRead.Miss>(c.get(k))
            server.freeze()
            eventually("a read fails while Redis is frozen") {
                runCatching { c.get(k) }.exceptionOrNull() is CacheUnavailableException
            }
            assertFailsWith<CacheUnavailableException> { c.get(k) }
            server.thaw()
            serving(c)
        }
    }
}

private inline fun <T> RedisClient.use(block: (RedisClient) -> T): T = try {
    block(this)
} finally {
    shutdown()
}
