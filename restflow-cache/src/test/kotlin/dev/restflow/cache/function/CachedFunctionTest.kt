package dev.restflow.cache.function

import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.ManualClock
import dev.restflow.cache.key.cacheKey
import dev.restflow.cache.memory.InMemoryCacheBackend
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import kotlinx.serialization.Serializable
import java.time.Instant
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

class CachedFunctionTest {
    private val clock = ManualClock()
    private val backend = InMemoryCacheBackend.builder().clock(clock).build()
    private val namespace = "users-" + UUID.randomUUID()

    class Q(val tenant: String, val id: Int)

    private val key = cacheKey<Q>(namespace) {
        function("get-user")
        partition("tenant") { it.tenant }
        part("id") { it.id }
    }

    /** The system of record the loaders read. */
    private val source = HashMap<Int, String>()
    private val loads = AtomicInteger()

    private val getUser = backend.cached(key, ttl = 1.minutes, { clock(clock) }) { q: Q ->
        loads.incrementAndGet()
        source[q.id]
    }

    private suspend fun CachedFunction<*, *>.waitUntilJoined(n: Int) {
        while (joinedFlights.get() < n) yield()
    }

    @Test
    fun `a miss loads and stores, the next call is a hit with its times`() = runBlocking<Unit> {
        source[1] = "ann"
        val first = getUser.getWithMetadata(Q("t", 1))
        assertEquals(CacheStatus.MISS, first.status)
        assertEquals(Instant.ofEpochMilli(clock.millis()), first.cachedAt)
        assertEquals(Instant.ofEpochMilli(clock.millis() + 60_000), first.resetAt)
        clock.advance(10.seconds)
        val second = getUser.getWithMetadata(Q("t", 1))
        assertEquals(CacheStatus.HIT, second.status)
        assertEquals("ann", second.value)
        assertEquals(first.cachedAt, second.cachedAt)
        assertEquals(1, loads.get())
    }

    @Test
    fun `a cached null is a hit and getCacheOnly tells it from a missing entry`() = runBlocking<Unit> {
        assertIs<CacheLookup.Missing>(getUser.getCacheOnly(Q("t", 404)))
        assertNull(getUser(Q("t", 404)))
        val again = getUser.getWithMetadata(Q("t", 404))
        assertEquals(CacheStatus.HIT, again.status)
        assertNull(again.value)
        val found = assertIs<CacheLookup.Found<String?>>(getUser.getCacheOnly(Q("t", 404)))
        assertNull(found.value)
        assertEquals(1, loads.get())
    }

    @Test
    fun `after the ttl the value is loaded again`() = runBlocking<Unit> {
        source[1] = "ann"
        getUser(Q("t", 1))
        source[1] = "anna"
        clock.advance(1.minutes)
        val after = getUser.getWithMetadata(Q("t", 1))
        assertEquals(CacheStatus.MISS, after.status)
        assertEquals("anna", after.value)
    }

    @Test
    fun `refresh reloads and stores with status REFRESH`() = runBlocking<Unit> {
        source[1] = "ann"
        getUser(Q("t", 1))
        source[1] = "anna"
        val refreshed = getUser.refresh(Q("t", 1))
        assertEquals(CacheStatus.REFRESH, refreshed.status)
        assertEquals("anna", refreshed.value)
        assertEquals("anna", getUser.getWithMetadata(Q("t", 1)).also { assertEquals(CacheStatus.HIT, it.status) }.value)
    }

    @Test
    fun `bypass neither reads nor writes the cache`() = runBlocking<Unit> {
        source[1] = "ann"
        val bypassed = getUser.bypass(Q("t", 1))
        assertEquals(CacheStatus.BYPASS, bypassed.status)
        assertNull(bypassed.cachedAt)
        assertIs<CacheLookup.Missing>(getUser.getCacheOnly(Q("t", 1)))
        getUser(Q("t", 1))
        source[1] = "anna"
        assertEquals("anna", getUser.bypass(Q("t", 1)).value)
        assertEquals("ann", getUser(Q("t", 1)))
    }

    @Test
    fun `delete, deleteByPartition and invalidateAll make the next call a miss`() = runBlocking<Unit> {
        source[1] = "ann"; source[2] = "bob"
        getUser(Q("a", 1)); getUser(Q("b", 2))

        getUser.delete(Q("a", 1))
        assertEquals(CacheStatus.MISS, getUser.getWithMetadata(Q("a", 1)).status)
        assertEquals(CacheStatus.HIT, getUser.getWithMetadata(Q("b", 2)).status)

        getUser.deleteByPartition(mapOf("tenant" to "a"))
        assertEquals(CacheStatus.MISS, getUser.getWithMetadata(Q("a", 1)).status)
        assertEquals(CacheStatus.HIT, getUser.getWithMetadata(Q("b", 2)).status)

        getUser.deleteByPartition(Q("b", 999))
        assertEquals(CacheStatus.MISS, getUser.getWithMetadata(Q("b", 2)).status)

        getUser.invalidateAll()
        assertEquals(CacheStatus.MISS, getUser.getWithMetadata(Q("a", 1)).status)
        assertEquals(CacheStatus.MISS, getUser.getWithMetadata(Q("b", 2)).status)
    }

    @Test
    fun `cacheIf and cacheUnless decide what is stored and are exclusive`() = runBlocking<Unit> {
        val onlyNonNull = backend.cached(key, 1.minutes, { cacheIf { it != null } }) { q: Q -> source[q.id] }
        onlyNonNull(Q("t", 7))
        assertIs<CacheLookup.Missing>(onlyNonNull.getCacheOnly(Q("t", 7)))
        source[8] = "x"
        onlyNonNull(Q("t", 8))
        assertIs<CacheLookup.Found<String?>>(onlyNonNull.getCacheOnly(Q("t", 8)))

        val key2 = cacheKey<Q>(namespace) { function("unless"); part("id") { it.id } }
        val unlessEmpty = backend.cached(key2, 1.minutes, { cacheUnless { it.isEmpty() } }) { q: Q -> "x".repeat(q.id) }
        unlessEmpty(Q("t", 0)); unlessEmpty(Q("t", 2))
        assertIs<CacheLookup.Missing>(unlessEmpty.getCacheOnly(Q("t", 0)))
        assertIs<CacheLookup.Found<String>>(unlessEmpty.getCacheOnly(Q("t", 2)))

        val e = assertFailsWith<IllegalArgumentException> {
            backend.cached(key2, 1.minutes, { cacheIf { true }; cacheUnless { false } }) { _: Q -> "x" }
        }
        assertEquals("cacheIf and cacheUnless are exclusive; declare one", e.message)
    }

    @Serializable
    class UserV1(val id: Int, val name: String)

    @Serializable
    class UserV2(val id: Int, val name: String, val email: String)

    @Test
    fun `an entry written by an older shape is a miss, never an error`() = runBlocking<Unit> {
        val shared = cacheKey<Int>(namespace) { function("shape"); part("id") { it } }
        val v1 = backend.cached(shared, 1.minutes) { id: Int -> UserV1(id, "ann") }
        val v2 = backend.cached(shared, 1.minutes) { id: Int -> UserV2(id, "ann", "ann@example.com") }
        v1(1)
        assertIs<CacheLookup.Missing>(v2.getCacheOnly(1))
        val read = v2.getWithMetadata(1)
        assertEquals(CacheStatus.MISS, read.status)
        assertEquals("ann@example.com", read.value.email)
        assertEquals(CacheStatus.HIT, v2.getWithMetadata(1).status)
    }

    @Test
    fun `garbage bytes under the key are a miss`() = runBlocking<Unit> {
        source[1] = "ann"
        backend.set(key.entryKey(Q("t", 1)), byteArrayOf(9, 9, 9), 1.minutes)
        assertEquals(CacheStatus.MISS, getUser.getWithMetadata(Q("t", 1)).status)
    }

    @Test
    fun `200 concurrent misses run the loader once`() = runBlocking<Unit> {
        val gate = CompletableDeferred<Unit>()
        val count = AtomicInteger()
        val slow = backend.cached(key, 1.minutes) { q: Q -> count.incrementAndGet(); gate.await(); "v${q.id}" }
        val callers = (1..200).map { async { slow(Q("t", 1)) } }
        slow.waitUntilJoined(200)
        gate.complete(Unit)
        assertEquals(List(200) { "v1" }, callers.awaitAll())
        assertEquals(1, count.get())
    }

    @Test
    fun `a cancelled leader does not fail its followers`() = runBlocking<Unit> {
        val gate = CompletableDeferred<Unit>()
        val slow = backend.cached(key, 1.minutes) { q: Q -> gate.await(); "v${q.id}" }
        val leader = launch { slow(Q("t", 1)) }
        val follower = async { slow(Q("t", 1)) }
        slow.waitUntilJoined(2)
        leader.cancel()
        gate.complete(Unit)
        assertEquals("v1", follower.await())
        assertTrue(leader.isCancelled)
        assertEquals(CacheStatus.HIT, slow.getWithMetadata(Q("t", 1)).status)
    }

    @Test
    fun `a loader failure reaches every waiter, nothing is cached and the lease is released`() = runBlocking<Unit> {
        val gate = CompletableDeferred<Unit>()
        val failing = backend.cached<Q, String>(key, 1.minutes) { _: Q -> gate.await(); throw IllegalStateException("database down") }
        val callers = (1..10).map { async { runCatching { failing(Q("t", 1)) } } }
        failing.waitUntilJoined(10)
        gate.complete(Unit)
        val results = callers.awaitAll()
        assertTrue(results.all { it.exceptionOrNull() is IllegalStateException && it.exceptionOrNull()!!.message == "database down" })
        assertIs<CacheLookup.Missing>(failing.getCacheOnly(Q("t", 1)))
        val lease = backend.tryAcquireLease(key.entryKey(Q("t", 1)), 1.seconds)
        assertTrue(lease != null, "the failed loader released its lease")
    }

    @Test
    fun `a value loaded before a concurrent delete is never written after it`() = runBlocking<Unit> {
        for (invalidate in listOf<suspend () -> Unit>(
            { getUser.delete(Q("t", 1)) },
            { getUser.deleteByPartition(mapOf("tenant" to "t")) },
            { getUser.invalidateAll() },
        )) {
            source[1] = "old"
            val loaded = CompletableDeferred<Unit>()
            val gate = CompletableDeferred<Unit>()
            val racing = backend.cached(key, 1.minutes) { q: Q ->
                val v = source[q.id]
                loaded.complete(Unit)
                gate.await()
                v
            }
            val reader = async { racing(Q("t", 1)) }
            loaded.await()
            source[1] = "new"
            invalidate()
            gate.complete(Unit)
            assertEquals("old", reader.await())
            assertIs<CacheLookup.Missing>(racing.getCacheOnly(Q("t", 1)))
            assertEquals("new", racing(Q("t", 1)))
            racing.invalidateAll()
        }
    }

    @Test
    fun `within staleFor the stale value is served and refreshed once in the background`() = runBlocking<Unit> {
        val refreshGate = CompletableDeferred<Unit>()
        val swr = backend.cached(key, 1.minutes, { clock(clock); staleFor(30.seconds) }) { q: Q ->
            if (loads.incrementAndGet() > 1) refreshGate.await()
            source[q.id]
        }
        source[1] = "old"
        swr(Q("t", 1))
        source[1] = "new"
        clock.advance(70.seconds)
        val stale = (1..5).map { swr.getWithMetadata(Q("t", 1)) }
        assertTrue(stale.all { it.status == CacheStatus.STALE && it.value == "old" }, "$stale")
        refreshGate.complete(Unit)
        swr.awaitIdle()
        assertEquals(2, loads.get(), "one background refresh")
        val fresh = swr.getWithMetadata(Q("t", 1))
        assertEquals(CacheStatus.HIT, fresh.status)
        assertEquals("new", fresh.value)
        clock.advance(91.seconds)
        assertEquals(CacheStatus.MISS, swr.getWithMetadata(Q("t", 1)).status, "past ttl + staleFor")
    }

    @Test
    fun `waiting for another instance's lease is bounded, and a dead holder's lease expires`() = runBlocking<Unit> {
        source[1] = "ann"
        val waiting = backend.cached(key, 1.minutes, {
            clock(clock)
            distributedLease(true, ttl = 5.seconds, wait = 30.milliseconds, pollInterval = 10.milliseconds)
        }) { q: Q -> loads.incrementAndGet(); source[q.id] }
        val entry = key.entryKey(Q("t", 1))
        // a holder that died without releasing its lease
        val dead = backend.tryAcquireLease(entry, 5.seconds)!!

        assertEquals("ann", waiting(Q("t", 1)), "after the bounded wait the instance loads itself")
        assertEquals(1, loads.get())
        waiting.delete(Q("t", 1))

        clock.advance(5.seconds)
        val taken = backend.tryAcquireLease(entry, 5.seconds)
        assertTrue(taken != null && taken.fencingToken > dead.fencingToken, "the dead holder's lease expired")
        assertFalse(backend.releaseLease(dead), "the dead holder cannot release its successor's lease")
    }

    @Test
    fun `metrics count requests by status, loads and failures`() = runBlocking<Unit> {
        val registry = SimpleMeterRegistry()
        val metered = backend.cached(key, 1.minutes, { meterRegistry(registry) }) { q: Q ->
            if (q.id < 0) error("bad") else "v"
        }
        metered(Q("t", 1)); metered(Q("t", 1)); metered.bypass(Q("t", 1))
        runCatching { metered(Q("t", -1)) }
        fun count(name: String, vararg tags: String) = registry.find(name).tags(*tags).counter()?.count() ?: 0.0
        assertEquals(1.0, count("restflow.cache.requests", "status", "hit"))
        assertEquals(1.0, count("restflow.cache.requests", "status", "miss"))
        assertEquals(1.0, count("restflow.cache.requests", "status", "bypass"))
        assertEquals(3.0, count("restflow.cache.loads"))
        assertEquals(1.0, count("restflow.cache.load.failures"))
        assertEquals(3L, registry.find("restflow.cache.load").timer()?.count())
    }

    @Test
    fun `the cache entry key is the key constructor's rendering`() {
        assertEquals(CacheEntryKey.of(namespace, "$namespace::get-user@1::tenant=t::id=1", "tenant=t"), key.entryKey(Q("t", 1)))
        assertSame(key, getUser.key)
    }
}
