package dev.restflow.cache.twotier

import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.CacheUnavailableException
import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.testing.TestServices
import kotlinx.coroutines.runBlocking
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.time.Duration.Companion.minutes

class TwoTierOutageTest {
    @Test
    fun `in-process copies are served while redis is down and dropped once it is back`() = runBlocking<Unit> {
        TestServices.newRedisServer().use { server ->
            val backend = TwoTierCacheBackend.builder(RedisCacheBackend.builder(server.uri).build()).build()
            try {
                val cached = CacheEntryKey.of("outage", "cached")
                backend.set(cached, "v1".toByteArray(), 1.minutes)
                assertEquals("v1", (backend.get(cached) as CacheRead.Hit).value.decodeToString())
                while (backend.reconnectFlushes.tryReceive().isSuccess) Unit // flushes of the initial connections

                server.stop()
                assertEquals("v1", (backend.get(cached) as CacheRead.Hit).value.decodeToString(), "served from L1")
                assertFailsWith<CacheUnavailableException> { backend.get(CacheEntryKey.of("outage", "other")) }

                server.start() // an empty Redis: whatever was invalidated meanwhile, L1 must not outlive the outage
                // the main and the pub/sub connection each come back with a flush; read once the main one is back
                var read: CacheRead? = null
                while (read == null) {
                    backend.reconnectFlushes.receive()
                    read = try {
                        backend.get(cached)
                    } catch (e: CacheUnavailableException) {
                        null
                    }
                }
                assertIs<CacheRead.Miss>(read)
            } finally {
                backend.close()
            }
        }
    }
}
