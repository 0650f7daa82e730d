package dev.restflow.cache.redis

import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheUnavailableException
import dev.restflow.cache.ManualClock
import dev.restflow.cache.function.CacheLookup
import dev.restflow.cache.function.CacheStatus
import dev.restflow.cache.function.cached
import dev.restflow.cache.key.cacheKey
import dev.restflow.testing.RedisServerHandle
import dev.restflow.testing.TestServices
import io.lettuce.core.RedisCommandTimeoutException
import io.lettuce.core.RedisException
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import io.lettuce.core.event.connection.ConnectionActivatedEvent
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.reactive.awaitFirst
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.TestInstance
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.minutes

/** Redis stopped (connection refused) and frozen (SIGSTOP: connected but silent), on a private server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest {
    private val server: RedisServerHandle = TestServices.newRedisServer()
    private val clock = ManualClock()
    private val registry = SimpleMeterRegistry()
    private val backend = RedisCacheBackend.builder(server.uri)
        .clock(clock)
        .failureThreshold(3)
        .openDuration(java.time.Duration.ofSeconds(5))
        .meterRegistry(registry)
        .build()
    private val key = CacheEntryKey.of("outage-" + UUID.randomUUID(), "k")

    @AfterEach
    fun recover() {
        server.thaw()
    }

    /** Starts the stopped server and waits for Lettuce's reconnect event, then closes the breaker. */
    private suspend fun restartAndAwaitReconnect() = coroutineScope {
        val reconnected = async(start = CoroutineStart.UNDISPATCHED) {
            backend.client.resources.eventBus().get().filter { it is ConnectionActivatedEvent }.awaitFirst()
        }
        server.start()
        reconnected.await()
        closeBreaker()
    }

    @AfterAll
    fun close() {
        backend.close()
        server.close()
    }

    private fun degradedGauge() = registry.find("restflow.cache.degraded").gauge()!!.value()

    /** Moves past the open period and lets a trial call through, closing the breaker once Redis answers. */
    private suspend fun closeBreaker() {
        clock.advance(5_001.let { kotlin.time.Duration.parse("${it}ms") })
        backend.set(key, "ok".toByteArray(), 1.minutes)
        assertFalse(backend.isDegraded)
    }

    @Test
    fun `a frozen redis times commands out at the command timeout and the breaker then fails fast`() = runBlocking<Unit> {
        backend.set(key, "v".toByteArray(), 1.minutes)
        server.freeze()
        repeat(3) {
            val failure = assertFailsWith<CacheUnavailableException> { backend.get(key) }
            val timeout = assertIs<RedisCommandTimeoutException>(failure.cause)
            assertTrue("50 millisecond" in timeout.message.orEmpty(), timeout.message)
        }
        assertTrue(backend.isDegraded)
        assertEquals(1.0, degradedGauge())
        val fast = assertFailsWith<CacheUnavailableException> { backend.get(key) }
        assertEquals("the Redis cache circuit breaker is open", fast.message)
        assertNull(fast.cause, "rejected without touching the network")

        server.thaw()
        closeBreaker()
        assertEquals(0.0, degradedGauge())
    }

    @Test
    fun `a stopped redis rejects commands at once instead of queueing them`() = runBlocking<Unit> {
        server.stop()
        val failure = assertFailsWith<CacheUnavailableException> { backend.get(key) }
        val cause = assertIs<RedisException>(failure.cause)
        assertFalse(cause is RedisCommandTimeoutException, "rejected, not timed out: $cause")
        restartAndAwaitReconnect()
    }

    @Test
    fun `no exception escapes a cached function while redis is frozen or stopped`() = runBlocking<Unit> {
        val fnKey = cacheKey<Int>("outage-fn-" + UUID.randomUUID()) { part("id") { it } }
        val fnRegistry = SimpleMeterRegistry()
        var loads = 0
        val fn = backend.cached(fnKey, 1.minutes, { meterRegistry(fnRegistry) }) { id: Int -> loads++; "v$id" }
        assertEquals("v1", fn(1))

        server.freeze()
        repeat(5) {
            val result = fn.getWithMetadata(2)
            assertEquals("v2", result.value)
            assertEquals(CacheStatus.MISS, result.status)
            assertTrue(result.degraded)
        }
        assertIs<CacheLookup.Missing>(fn.getCacheOnly(1))
        assertEquals(CacheStatus.REFRESH, fn.refresh(1).status)
        assertTrue(backend.isDegraded)
        assertEquals(5.0, fnRegistry.find("restflow.cache.degraded.reads").counter()!!.count(), "every read was degraded")

        server.thaw()
        server.stop()
        assertEquals("v3", fn(3))
        assertFailsWith<CacheUnavailableException>("an invalidation that cannot happen is reported") { fn.delete(1) }

        restartAndAwaitReconnect()
        assertEquals(1 + 5 + 1 + 1, loads)
        val after = fn.getWithMetadata(1)
        assertEquals(CacheStatus.MISS, after.status, "the restarted Redis is empty; the failed delete is replayed (RedisRecoveryTest)")
        assertEquals("v1", after.value)
    }
}
