package dev.restflow.cache.function

import dev.restflow.cache.key.cacheKey
import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.testing.TestServices
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.TestInstance
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.time.Duration.Companion.minutes

/** Two application instances, each with its own Redis connection, sharing one Redis. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CachedFunctionAcrossInstancesTest {
    private val instanceA = RedisCacheBackend.builder(TestServices.redisUri()).commandTimeout(java.time.Duration.ofSeconds(2)).build()
    private val instanceB = RedisCacheBackend.builder(TestServices.redisUri()).commandTimeout(java.time.Duration.ofSeconds(2)).build()

    @AfterAll
    fun close() {
        instanceA.close()
        instanceB.close()
    }

    private val key = cacheKey<Int>("across-" + UUID.randomUUID()) { part("id") { it } }

    @Test
    fun `200 concurrent misses on two instances run the loader once`() = runBlocking<Unit> {
        val gate = CompletableDeferred<Unit>()
        val loads = AtomicInteger()
        val loader: suspend (Int) -> String = { id -> loads.incrementAndGet(); gate.await(); "v$id" }
        val onA = instanceA.cached(key, 1.minutes, loader = loader)
        val onB = instanceB.cached(key, 1.minutes, loader = loader)
        val callers = (1..100).flatMap { listOf(async { onA(1) }, async { onB(1) }) }
        while (onA.joinedFlights.get() + onB.joinedFlights.get() < 200) yield()
        gate.complete(Unit)
        assertEquals(List(200) { "v1" }, callers.awaitAll())
        assertEquals(1, loads.get())
    }

    @Test
    fun `a value loaded on one instance before an invalidation on the other is not written`() = runBlocking<Unit> {
        var source = "old"
        val loaded = CompletableDeferred<Unit>()
        val gate = CompletableDeferred<Unit>()
        val onA = instanceA.cached(key, 1.minutes) { _: Int ->
            val v = source
            loaded.complete(Unit)
            gate.await()
            v
        }
        val onB = instanceB.cached(key, 1.minutes) { _: Int -> source }
        val reader = async { onA(2) }
        loaded.await()
        source = "new"
        onB.delete(2)
        gate.complete(Unit)
        assertEquals("old", reader.await())
        assertIs<CacheLookup.Missing>(onB.getCacheOnly(2))
        assertEquals("new", onB(2))
        assertEquals("new", onA(2))
    }
}
