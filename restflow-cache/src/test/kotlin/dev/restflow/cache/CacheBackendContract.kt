package dev.restflow.cache

import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.TestInstance
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/**
 * The behaviour every [CacheBackend] shares. Each test works in a namespace of its own, so implementations may share
 * one server across tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CacheBackendContract {
    protected lateinit var backend: CacheBackend

    protected abstract fun createBackend(): CacheBackend

    @BeforeAll
    fun open() {
        backend = createBackend()
    }

    @AfterAll
    fun shut() {
        backend.close()
    }

    protected fun ns(): String = "t-" + UUID.randomUUID()

    private fun key(ns: String, id: String, partition: String = "") = CacheEntryKey.of(ns, "$ns::$id", partition)

    private fun bytes(s: String) = s.toByteArray()

    private suspend fun CacheBackend.read(key: CacheEntryKey): String? =
        (get(key) as? CacheRead.Hit)?.value?.decodeToString()

    @Test
    fun `a stored value is read back`() = runBlocking<Unit> {
        val k = key(ns(), "a")
        assertTrue(backend.set(k, bytes("one"), 1.minutes))
        assertEquals("one", backend.read(k))
    }

    @Test
    fun `an absent key is a miss`() = runBlocking<Unit> {
        assertIs<CacheRead.Miss>(backend.get(key(ns(), "nothing")))
    }

    @Test
    fun `empty and binary values round-trip unchanged`() = runBlocking<Unit> {
        val n = ns()
        val binary = ByteArray(256) { it.toByte() }
        backend.set(key(n, "empty"), ByteArray(0), 1.minutes)
        backend.set(key(n, "binary"), binary, 1.minutes)
        assertContentEquals(ByteArray(0), (backend.get(key(n, "empty")) as CacheRead.Hit).value)
        assertContentEquals(binary, (backend.get(key(n, "binary")) as CacheRead.Hit).value)
    }

    @Test
    fun `a hit reports an expiry within its ttl`() = runBlocking<Unit> {
        val k = key(ns(), "a")
        backend.set(k, bytes("v"), 30.seconds)
        val hit = assertIs<CacheRead.Hit>(backend.get(k))
        val left = hit.expiresAt.toEpochMilli() - nowMillis()
        assertTrue(left in 1..30_000, "expiry $left ms away")
    }

    /** The backend's notion of now, for [a hit reports an expiry within its ttl]. */
    protected abstract fun nowMillis(): Long

    @Test
    fun `a later set overwrites`() = runBlocking<Unit> {
        val k = key(ns(), "a")
        backend.set(k, bytes("one"), 1.minutes)
        backend.set(k, bytes("two"), 1.minutes)
        assertEquals("two", backend.read(k))
    }

    @Test
    fun `delete removes that key only`() = runBlocking<Unit> {
        val n = ns()
        backend.set(key(n, "a"), bytes("a"), 1.minutes)
        backend.set(key(n, "b"), bytes("b"), 1.minutes)
        backend.delete(key(n, "a"))
        assertNull(backend.read(key(n, "a")))
        assertEquals("b", backend.read(key(n, "b")))
    }

    @Test
    fun `getMany reads every key in order across namespaces and partitions`() = runBlocking<Unit> {
        val n1 = ns()
        val n2 = ns()
        val a = key(n1, "a", "p1")
        val b = key(n1, "b", "p2")
        val absent = key(n1, "absent")
        val c = key(n2, "c")
        backend.set(a, bytes("A"), 1.minutes)
        backend.set(b, bytes("B"), 1.minutes)
        backend.set(c, bytes("C"), 1.minutes)
        val reads = backend.getMany(listOf(c, a, absent, b))
        assertEquals(listOf("C", "A", null, "B"), reads.map { (it as? CacheRead.Hit)?.value?.decodeToString() })
        assertEquals(emptyList(), backend.getMany(emptyList()))
    }

    @Test
    fun `getMany honours partition and namespace invalidations like get`() = runBlocking<Unit> {
        val n1 = ns()
        val n2 = ns()
        val gone = key(n1, "gone", "p1")
        val kept = key(n1, "kept", "p2")
        val flushed = key(n2, "flushed")
        listOf(gone, kept, flushed).forEach { backend.set(it, bytes("x"), 1.minutes) }
        backend.deletePartition(n1, "p1")
        backend.deleteNamespace(n2)
        val reads = backend.getMany(listOf(gone, kept, flushed))
        assertIs<CacheRead.Miss>(reads[0])
        assertIs<CacheRead.Hit>(reads[1])
        assertIs<CacheRead.Miss>(reads[2])
        // a write stamped by getMany's read is refused after a later invalidation, as with get
        val stamp = reads[1].stamp
        backend.deletePartition(n1, "p2")
        assertFalse(backend.set(kept, bytes("y"), 1.minutes, ifUnchangedSince = stamp))
    }

    @Test
    fun `deleteMany removes every given key across namespaces`() = runBlocking<Unit> {
        val n1 = ns()
        val n2 = ns()
        val keys = listOf(key(n1, "a"), key(n1, "b"), key(n2, "c"))
        keys.forEach { backend.set(it, bytes("x"), 1.minutes) }
        backend.set(key(n1, "keep"), bytes("k"), 1.minutes)
        backend.deleteMany(keys)
        keys.forEach { assertNull(backend.read(it)) }
        assertEquals("k", backend.read(key(n1, "keep")))
    }

    @Test
    fun `deletePartition invalidates that partition only`() = runBlocking<Unit> {
        val n = ns()
        backend.set(key(n, "u1-a", "user=1"), bytes("1a"), 1.minutes)
        backend.set(key(n, "u1-b", "user=1"), bytes("1b"), 1.minutes)
        backend.set(key(n, "u2-a", "user=2"), bytes("2a"), 1.minutes)
        backend.deletePartition(n, "user=1")
        assertNull(backend.read(key(n, "u1-a", "user=1")))
        assertNull(backend.read(key(n, "u1-b", "user=1")))
        assertEquals("2a", backend.read(key(n, "u2-a", "user=2")))
    }

    @Test
    fun `deleteNamespace invalidates that namespace only`() = runBlocking<Unit> {
        val n1 = ns()
        val n2 = ns()
        backend.set(key(n1, "a", "p"), bytes("a"), 1.minutes)
        backend.set(key(n1, "b"), bytes("b"), 1.minutes)
        backend.set(key(n2, "c"), bytes("c"), 1.minutes)
        backend.deleteNamespace(n1)
        assertNull(backend.read(key(n1, "a", "p")))
        assertNull(backend.read(key(n1, "b")))
        assertEquals("c", backend.read(key(n2, "c")))
    }

    @Test
    fun `entries written after an invalidation are readable`() = runBlocking<Unit> {
        val n = ns()
        backend.set(key(n, "a", "p"), bytes("old"), 1.minutes)
        backend.deletePartition(n, "p")
        backend.deleteNamespace(n)
        backend.set(key(n, "a", "p"), bytes("new"), 1.minutes)
        assertEquals("new", backend.read(key(n, "a", "p")))
    }

    @Test
    fun `a conditional write stamped before a delete is refused`() = runBlocking<Unit> {
        val k = key(ns(), "a")
        val stamp = backend.get(k).stamp
        backend.delete(k)
        assertFalse(backend.set(k, bytes("stale"), 1.minutes, ifUnchangedSince = stamp))
        assertNull(backend.read(k))
    }

    @Test
    fun `a conditional write stamped before a partition invalidation is refused`() = runBlocking<Unit> {
        val n = ns()
        val k = key(n, "a", "p")
        val stamp = backend.get(k).stamp
        backend.deletePartition(n, "p")
        assertFalse(backend.set(k, bytes("stale"), 1.minutes, ifUnchangedSince = stamp))
        assertNull(backend.read(k))
    }

    @Test
    fun `a conditional write stamped before a namespace invalidation is refused`() = runBlocking<Unit> {
        val n = ns()
        val k = key(n, "a", "p")
        val stamp = backend.get(k).stamp
        backend.deleteNamespace(n)
        assertFalse(backend.set(k, bytes("stale"), 1.minutes, ifUnchangedSince = stamp))
        assertNull(backend.read(k))
    }

    @Test
    fun `a conditional write stamped after the invalidation is accepted`() = runBlocking<Unit> {
        val n = ns()
        val k = key(n, "a", "p")
        backend.delete(k)
        backend.deletePartition(n, "p")
        backend.deleteNamespace(n)
        val stamp = backend.get(k).stamp
        assertTrue(backend.set(k, bytes("fresh"), 1.minutes, ifUnchangedSince = stamp))
        assertEquals("fresh", backend.read(k))
    }

    @Test
    fun `a conditional write is refused when another write came after its stamp`() = runBlocking<Unit> {
        val k = key(ns(), "a")
        val stamp = backend.get(k).stamp
        backend.set(k, bytes("newer"), 1.minutes)
        assertFalse(backend.set(k, bytes("older"), 1.minutes, ifUnchangedSince = stamp))
        assertEquals("newer", backend.read(k))
    }

    @Test
    fun `invalidating one partition does not refuse writes stamped for another`() = runBlocking<Unit> {
        val n = ns()
        val k = key(n, "a", "p1")
        val stamp = backend.get(k).stamp
        backend.deletePartition(n, "p2")
        backend.delete(key(n, "other", "p1"))
        assertTrue(backend.set(k, bytes("v"), 1.minutes, ifUnchangedSince = stamp))
    }

    @Test
    fun `concurrent increments are all counted`() = runBlocking<Unit> {
        val k = key(ns(), "hits")
        val results = (1..100).map { async { backend.increment(k, 1, 1.minutes) } }.awaitAll()
        assertEquals((1L..100L).toSet(), results.toSet())
        assertEquals(105, backend.increment(k, 5, 1.minutes))
    }

    @Test
    fun `counters live apart from entries and survive invalidation`() = runBlocking<Unit> {
        val n = ns()
        val k = key(n, "c")
        backend.increment(k, 3, 1.minutes)
        backend.deleteNamespace(n)
        assertIs<CacheRead.Miss>(backend.get(k))
        assertEquals(4, backend.increment(k, 1, 1.minutes))
    }

    @Test
    fun `a lease is exclusive until released and fencing tokens grow`() = runBlocking<Unit> {
        val k = key(ns(), "load")
        val first = assertNotNull(backend.tryAcquireLease(k, 10.seconds))
        assertNull(backend.tryAcquireLease(k, 10.seconds))
        assertTrue(backend.releaseLease(first))
        val second = assertNotNull(backend.tryAcquireLease(k, 10.seconds))
        assertTrue(second.fencingToken > first.fencingToken)
        assertFalse(backend.releaseLease(first), "a released lease cannot release its successor")
        assertTrue(backend.releaseLease(second))
    }

    @Test
    fun `only one of many concurrent lease requests wins`() = runBlocking<Unit> {
        val k = key(ns(), "load")
        val leases = (1..50).map { async { backend.tryAcquireLease(k, 10.seconds) } }.awaitAll()
        assertEquals(1, leases.count { it != null })
    }

    @Test
    fun `a non-positive ttl is rejected`() = runBlocking<Unit> {
        assertFailsWith<IllegalArgumentException> { backend.set(key(ns(), "a"), bytes("v"), 0.milliseconds) }
        assertFailsWith<IllegalArgumentException> { backend.increment(key(ns(), "a"), 1, (-1).seconds) }
    }
}
