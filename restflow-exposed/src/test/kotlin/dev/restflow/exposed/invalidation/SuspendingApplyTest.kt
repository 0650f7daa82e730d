package dev.restflow.exposed.invalidation

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.memory.InMemoryCacheBackend
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.runBlocking
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/**
 * Applying suspends end to end on coroutine-based dispatchers: the `coroutine` dispatcher runs on a scope with ONE
 * thread, and a batch that waits for the next batch can only finish if waiting does not hold that thread (a
 * `runBlocking` apply would deadlock; the bounded waits turn that into a failure). Behaviour does not depend on the
 * database, so H2 and the in-memory backend.
 */
class SuspendingApplyTest {
    private val thread = Executors.newSingleThreadExecutor { r -> Thread(r, SCOPE_THREAD).apply { isDaemon = true } }
    private val scope = CoroutineScope(SupervisorJob() + thread.asCoroutineDispatcher())
    private val db = Database.connect(h2Url, "org.h2.Driver").also { db ->
        transaction(db) {
            SchemaUtils.create(Dials)
            Dials.batchInsert(1..10) { n -> this[Dials.id] = n; this[Dials.level] = 0 }
        }
    }
    private var registry: InvalidationRegistry? = null

    @AfterTest
    fun stop() {
        registry?.close()
        scope.cancel()
        thread.shutdown()
    }

    private fun touch(id: Int) {
        transaction(db) { Dials.update({ Dials.id eq id }) { it[level] = id } }
    }

    private fun start(backend: CacheBackend?, vararg rules: InvalidationRule): InvalidationRegistry =
        invalidationRegistry(backend, db) {
            coroutines(scope, maxPending = 8)
            rule(*rules)
        }.also { registry = it }

    @Test
    fun `a suspending custom invalidator suspends on the coroutine dispatcher instead of holding its thread`() {
        val gate = CompletableDeferred<Unit>()
        val order = CopyOnWriteArrayList<String>()
        val threads = CopyOnWriteArrayList<String>()
        // region suspend-invalidator
        val rule = invalidateOn(Dials, "dials-feed") {
            dispatcher = "coroutine"
            map("id" to Dials.id)
            invalidator { work -> // a suspend lambda: call suspending APIs directly
                threads += threadName()
                val id = work.args.single().getValue("id")!!
                if (id == "1") gate.await() else gate.complete(Unit)
                order += id
            }
        }
        // endregion
        val registry = start(null, rule)
        touch(1)
        touch(2)
        assertTrue(registry.awaitIdle(30.seconds), "dial 1's batch waits for dial 2's on the scope's only thread")
        assertEquals(listOf("2", "1"), order.toList())
        assertEquals(setOf(SCOPE_THREAD), threads.toSet(), "suspending invalidators run in the dispatcher's scope")
    }

    @Test
    fun `cache deletes suspend on the backend instead of blocking the coroutine dispatcher's thread`() {
        val firstDelete = CompletableDeferred<Unit>()
        val memory = InMemoryCacheBackend.builder().build()
        // a backend whose delete of partition 1 only completes after the delete of partition 2 started
        val backend = object : CacheBackend by memory {
            override suspend fun deletePartition(namespace: String, partition: String) {
                if (partition == "1") firstDelete.await() else firstDelete.complete(Unit)
                memory.deletePartition(namespace, partition)
            }
        }
        val keys = (1..2).map { CacheEntryKey.of("dials", "get-$it", "$it") }
        runBlocking { for (k in keys) backend.set(k, byteArrayOf(1), 5.minutes) }
        val registry = start(backend, invalidateOn(Dials) { namespace("dials"); partition(Dials.id); dispatcher = "coroutine" })
        touch(1)
        touch(2)
        assertTrue(registry.awaitIdle(30.seconds), "the first delete waits for the second on the scope's only thread")
        for (k in keys) assertIs<CacheRead.Miss>(runBlocking { backend.get(k) })
    }

    @Test
    fun `a blocking custom invalidator runs on Dispatchers IO, off the coroutine dispatcher's thread`() {
        val released = CountDownLatch(1)
        val blockingThreads = CopyOnWriteArrayList<String>()
        val waited = CopyOnWriteArrayList<Boolean>()
        val blocking = invalidateOn(Dials, "blocking") {
            dispatcher = "coroutine"
            invalidator(CustomInvalidator { _ ->
                blockingThreads += threadName()
                waited += released.await(30, TimeUnit.SECONDS) // blocks until the suspending rule ran
            })
        }
        val releasing = invalidateOn(Dials, "releasing") {
            dispatcher = "coroutine"
            invalidator { _ -> released.countDown() }
        }
        val registry = start(null, blocking, releasing)
        touch(1) // one batch per rule, both launched on the one thread
        assertTrue(registry.awaitIdle(60.seconds))
        assertEquals(listOf(true), waited.toList(), "the suspending rule ran while the blocking one was waiting")
        assertTrue(blockingThreads.single() != SCOPE_THREAD, "blocking work ran on ${blockingThreads.single()}")
    }

    @Test
    fun `a suspending invalidator under a thread-based dispatcher runs on that thread`() {
        val threads = CopyOnWriteArrayList<String>()
        val rule = invalidateOn(Dials, "inline-feed") { invalidator { _ -> threads += threadName() } }
        start(null, rule)
        val committer = threadName()
        touch(3)
        assertEquals(listOf(committer), threads.toList(), "inline: applied on the committing thread before the commit returned")
        assertTrue(rule.target.let { it is InvalidationTarget.Custom && it.isSuspending && it.invalidator == null })
    }

    private companion object {
        const val SCOPE_THREAD = "one-thread-scope"
    }
}

/** The current thread's name without the coroutine debug suffix (` @coroutine#7`). */
private fun threadName(): String = Thread.currentThread().name.substringBefore(" @")
