package dev.restflow.cache.twotier

import dev.restflow.cache.CacheUnavailableException
import dev.restflow.cache.ManualClock
import dev.restflow.cache.function.CacheStatus
import dev.restflow.cache.function.cached
import dev.restflow.cache.key.cacheKey
import dev.restflow.cache.redis.PersistentRedisServer
import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.testing.TestServices
import io.lettuce.core.event.connection.ConnectionActivatedEvent
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.reactive.awaitLast
import kotlinx.coroutines.runBlocking
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/**
 * R-33 across two instances A and B, each a two-tier backend with its own L1 (TTL 10 minutes, so only the recovery
 * mechanism can drop a copy). A invalidates during the outage; B made no call and learns of the outage from its
 * health check. Once Redis is back and A has replayed, the first read on B is a miss with the new value. The
 * breakers open at the first failure and only try again when the test moves their clock.
 */
class TwoTierRecoveryTest {
    private val clock = ManualClock(System.currentTimeMillis())
    private val channel = "rf:test-recovery:" + UUID.randomUUID()

    private fun instance(uri: String) = TwoTierCacheBackend.builder(
        RedisCacheBackend.builder(uri)
            .clock(clock)
            .failureThreshold(1)
            .openDuration(java.time.Duration.ofSeconds(5))
            .replayInterval(java.time.Duration.ofMillis(50))
            .build(),
    ).channel(channel).l1Ttl(java.time.Duration.ofMinutes(10)).healthCheckInterval(java.time.Duration.ofMillis(50)).build()

    private suspend fun noInstanceServesTheInvalidatedCopy(a: TwoTierCacheBackend, b: TwoTierCacheBackend, breakRedis: suspend () -> Unit, restoreRedis: suspend () -> Unit) {
        var source = "v1"
        val key = cacheKey<Int>("tt-recovery-" + UUID.randomUUID()) { part("id") { it } }
        val fnA = a.cached(key, 10.minutes) { id: Int -> "$source-$id" }
        val fnB = b.cached(key, 10.minutes) { id: Int -> "$source-$id" }
        assertEquals("v1-1", fnA(1))
        // A's write is broadcast; once B has applied it, B's read below fills B's L1
        while (b.remoteInvalidations.receive().namespace != key.namespace) Unit
        assertEquals(CacheStatus.HIT, fnB.getWithMetadata(1).status)
        assertEquals(CacheStatus.HIT, fnA.getWithMetadata(1).status)

        breakRedis()
        b.l2.outagesNoticed.receive() // B's health check failed: B made no call of its own
        val duringOnB = fnB.getWithMetadata(1)
        assertEquals("v1-1" to CacheStatus.HIT, duringOnB.value to duringOnB.status, "B serves its L1 copy while Redis is down")
        source = "v2"
        assertFailsWith<CacheUnavailableException> { fnA.delete(1) }
        val duringOnA = fnA.getWithMetadata(1)
        assertEquals("v2-1", duringOnA.value, "A's L1 copy is dropped at once")
        assertTrue(duringOnA.degraded)

        restoreRedis()
        clock.advance(6.seconds) // the breakers try again
        assertEquals(1, a.l2.replays.receive(), "A replays its failed delete")
        val firstOnB = fnB.getWithMetadata(1)
        assertEquals(CacheStatus.MISS, firstOnB.status)
        assertEquals("v2-1", firstOnB.value)
        assertEquals("v2-1", fnA(1))
        assertEquals("v2-1", fnB(1))
    }

    @Test
    fun `frozen redis - after it thaws no instance serves the invalidated copy`() = runBlocking<Unit> {
        TestServices.newRedisServer().use { server ->
            instance(server.uri).use { a ->
                instance(server.uri).use { b ->
                    noInstanceServesTheInvalidatedCopy(a, b, { server.freeze() }, { server.thaw() })
                }
            }
        }
    }

    @Test
    fun `stopped redis with persistence - after it restarts no instance serves the invalidated copy`() = runBlocking<Unit> {
        PersistentRedisServer().use { server ->
            instance(server.uri).use { a ->
                instance(server.uri).use { b ->
                    noInstanceServesTheInvalidatedCopy(a, b, { server.stop() }, {
                        coroutineScope {
                            // each client's main and pub/sub connection come back
                            val reconnected = listOf(a, b).map { instance ->
                                async(start = CoroutineStart.UNDISPATCHED) {
                                    instance.l2.client.resources.eventBus().get()
                                        .filter { it is ConnectionActivatedEvent }.take(2).awaitLast()
                                }
                            }
                            server.start()
                            reconnected.forEach { it.await() }
                        }
                    })
                }
            }
        }
    }
}
