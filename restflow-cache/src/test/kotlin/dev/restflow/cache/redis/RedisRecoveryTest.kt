package dev.restflow.cache.redis

import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.CacheUnavailableException
import dev.restflow.cache.ManualClock
import dev.restflow.cache.function.CacheStatus
import dev.restflow.cache.function.cached
import dev.restflow.cache.key.cacheKey
import dev.restflow.testing.TestServices
import io.lettuce.core.event.connection.ConnectionActivatedEvent
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.reactive.awaitFirst
import kotlinx.coroutines.runBlocking
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/**
 * R-33 on the Redis backend: an invalidation that fails during an outage is replayed before Redis serves a read
 * again, so the first read after recovery is a miss that returns the source's new value. The breaker opens at the
 * first failure (its clock is the test's), so the failed invalidation never reaches Redis by itself: only the replay
 * can apply it. Redis keeps its data through the outage: frozen (SIGSTOP), or stopped and restarted with persistence.
 */
class RedisRecoveryTest {
    private val clock = ManualClock(System.currentTimeMillis())
    private val registry = SimpleMeterRegistry()

    private fun backend(uri: String, configure: RedisCacheBackend.Builder.() -> Unit = {}) = RedisCacheBackend.builder(uri)
        .clock(clock)
        .failureThreshold(1)
        .openDuration(java.time.Duration.ofSeconds(5))
        .replayInterval(java.time.Duration.ofMillis(50))
        .meterRegistry(registry)
        .apply(configure)
        .build()

    /** Lets the breaker try again: the next command (a read, or the background replay) is its trial. */
    private fun pastOpenDuration() = clock.advance(6.seconds)

    private fun counter(name: String) = registry.find(name).counter()?.count() ?: 0.0

    private suspend fun staleEntryIsNotServedAfterRecovery(backend: RedisCacheBackend, breakRedis: suspend () -> Unit, restoreRedis: suspend () -> Unit) {
        var source = "v1"
        val fn = backend.cached(cacheKey<Int>("recovery-" + UUID.randomUUID()) { part("id") { it } }, 10.minutes) { id: Int -> "$source-$id" }
        assertEquals("v1-1", fn(1))
        assertEquals("v1-2", fn(2))
        assertEquals(CacheStatus.HIT, fn.getWithMetadata(1).status)

        breakRedis()
        val during = fn.getWithMetadata(3)
        assertEquals(true, during.degraded, "the first failure opens the breaker")
        source = "v2"
        assertFailsWith<CacheUnavailableException>("the caller still learns the invalidation did not happen") { fn.delete(1) }
        assertEquals(1, backend.pendingCount())
        assertEquals(1.0, registry.find("restflow.cache.invalidations.pending").gauge()!!.value())

        restoreRedis()
        pastOpenDuration()
        val first = fn.getWithMetadata(1)
        assertEquals(CacheStatus.MISS, first.status)
        assertEquals("v2-1", first.value)
        assertEquals(1, backend.replays.receive(), "one invalidation replayed")
        assertEquals(0, backend.pendingCount())
        assertEquals(1.0, counter("restflow.cache.invalidations.replayed"))
        assertEquals("v2-1", fn(1))
        assertEquals(CacheStatus.HIT, fn.getWithMetadata(1).status, "the new value is cached again")
        val untouched = fn.getWithMetadata(2)
        assertEquals(CacheStatus.HIT, untouched.status, "an entry not invalidated survives the outage: the replay is precise")
        assertEquals("v1-2", untouched.value)
    }

    @Test
    fun `frozen redis - the first read after it thaws is a miss with the new value`() = runBlocking<Unit> {
        TestServices.newRedisServer().use { server ->
            backend(server.uri).use { backend ->
                staleEntryIsNotServedAfterRecovery(backend, { server.freeze() }, { server.thaw() })
            }
        }
    }

    @Test
    fun `stopped redis with persistence - the first read after it restarts is a miss with the new value`() = runBlocking<Unit> {
        PersistentRedisServer().use { server ->
            backend(server.uri).use { backend ->
                staleEntryIsNotServedAfterRecovery(backend, { server.stop() }, {
                    coroutineScope {
                        val reconnected = async(start = CoroutineStart.UNDISPATCHED) {
                            backend.client.resources.eventBus().get().filter { it is ConnectionActivatedEvent }.awaitFirst()
                        }
                        server.start()
                        reconnected.await()
                    }
                })
            }
        }
    }

    @Test
    fun `partition and namespace invalidations are replayed, and a full record widens to a namespace flush`() = runBlocking<Unit> {
        TestServices.newRedisServer().use { server ->
            // no background replay attempts while the test counts: the reads after the thaw replay
            backend(server.uri) { maxPendingInvalidations(2).replayInterval(java.time.Duration.ofMinutes(10)) }.use { backend ->
                val run = UUID.randomUUID().toString()
                val wide = "wide-$run"
                val flushed = "flushed-$run"
                val kept = "kept-$run"
                val keys = listOf(
                    CacheEntryKey.of(wide, "a", "p1"), CacheEntryKey.of(wide, "b", "p2"), CacheEntryKey.of(wide, "c", "p3"),
                    CacheEntryKey.of(wide, "d", "p4"), CacheEntryKey.of(flushed, "x"), CacheEntryKey.of(kept, "y", "p1"),
                )
                for (key in keys) backend.set(key, key.id.toByteArray(), 10.minutes)

                server.freeze()
                assertFailsWith<CacheUnavailableException> { backend.delete(keys[0]) }
                assertFailsWith<CacheUnavailableException> { backend.deletePartition(wide, "p2") }
                assertEquals(0.0, counter("restflow.cache.invalidations.widened"))
                assertFailsWith<CacheUnavailableException> { backend.delete(keys[2]) }
                assertEquals(1.0, counter("restflow.cache.invalidations.widened"), "a third record widened '$wide' to a flush")
                assertFailsWith<CacheUnavailableException> { backend.deleteNamespace(flushed) }
                assertEquals(2, backend.pendingCount(), "two namespace flushes")

                server.thaw()
                pastOpenDuration()
                // the first read after the thaw is a multi-key read: it replays first too
                backend.getMany(keys.take(5)).forEachIndexed { i, read -> assertIs<CacheRead.Miss>(read, "${keys[i]}") }
                for (key in keys.take(5)) assertIs<CacheRead.Miss>(backend.get(key), "$key")
                assertEquals("y", (backend.get(keys[5]) as CacheRead.Hit).value.decodeToString(), "another namespace keeps its entries")
                assertEquals(0, backend.pendingCount())
            }
        }
    }
}
