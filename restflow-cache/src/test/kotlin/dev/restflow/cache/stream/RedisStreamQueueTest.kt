package dev.restflow.cache.stream

import dev.restflow.testing.TestServices
import io.lettuce.core.RedisClient
import io.lettuce.core.codec.StringCodec
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.time.Duration
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds

/** The Redis Streams work queue against a real (embedded) Redis. */
class RedisStreamQueueTest {
    private val name = "test-${UUID.randomUUID()}"
    private val queue = RedisStreamQueue.builder(TestServices.redisUri()).name(name).build()
    private val workers = CopyOnWriteArrayList<RedisStreamWorker>()

    @AfterTest
    fun closeAll() {
        workers.forEach { runCatching { it.stop() } }
        queue.close()
    }

    private fun worker(consumer: String, handler: suspend (String) -> Unit, configure: RedisStreamWorker.Builder.() -> Unit = {}) =
        queue.worker(handler).consumer(consumer).pollInterval(Duration.ofMillis(50))
            .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(40)).claimIdle(Duration.ofMinutes(10))
            .apply(configure).build().also { workers += it }

    /** Pending entries of the group, straight from Redis. */
    private fun pendingCount(group: String = "restflow"): Long = RedisClient.create(TestServices.redisUri()).let { client ->
        try {
            client.connect(StringCodec.UTF8).use { it.sync().xpending(queue.streamKey, group).count }
        } finally {
            client.shutdown()
        }
    }

    private suspend fun <T> Channel<T>.take(): T = withTimeout(60.seconds) { receive() }

    @Test
    fun `an enqueued payload is delivered to the worker and acknowledged`() = runBlocking {
        val seen = Channel<String>(Channel.UNLIMITED)
        queue.enqueue("before the group existed")
        val worker = worker("w1", { seen.send(it) })
        worker.start()
        queue.enqueue("after")
        assertEquals("before the group existed", seen.take())
        assertEquals("after", seen.take())
        worker.stop() // graceful: the entry in flight is acknowledged before stop returns
        assertEquals(0L, pendingCount())
        assertEquals(2L, queue.length())
    }

    @Test
    fun `a payload round-trips byte for byte, unicode included`() = runBlocking {
        val payload = """{"evict":["products:Zürich","ключ","日本語","🚀 emoji","quote\" and \\ backslash"]}"""
        val seen = Channel<String>(Channel.UNLIMITED)
        worker("w1", { seen.send(it) }).start()
        queue.enqueue(payload)
        assertEquals(payload, seen.take())
    }

    @Test
    fun `two consumers of one group split the work and process each entry once`() = runBlocking {
        val total = 60
        repeat(total) { queue.enqueue("job-$it") }
        val processed = CopyOnWriteArrayList<Pair<String, String>>()
        val done = Channel<Unit>(Channel.UNLIMITED)
        val bStarted = CompletableDeferred<Unit>()
        // A holds its first entry until B has processed one, so both consumers certainly take part
        val a = worker("a", { p -> bStarted.await(); processed += "a" to p; done.send(Unit) }) { batchSize(5) }
        val b = worker("b", { p -> processed += "b" to p; bStarted.complete(Unit); done.send(Unit) }) { batchSize(5) }
        a.start()
        b.start()
        repeat(total) { done.take() }
        a.stop()
        b.stop()
        assertEquals(total, processed.size)
        assertEquals((0 until total).map { "job-$it" }.toSet(), processed.map { it.second }.toSet(), "each entry exactly once")
        assertTrue(processed.any { it.first == "a" } && processed.any { it.first == "b" })
        assertEquals(0L, pendingCount())
    }

    @Test
    fun `a failing handler is retried with backoff and dead-lettered after maxDeliveries`() = runBlocking {
        val attempts = Channel<Int>(Channel.UNLIMITED)
        val calls = AtomicInteger()
        val worker = worker("w1", { payload ->
            attempts.send(calls.incrementAndGet())
            throw IllegalStateException("cannot evict $payload")
        }) { maxDeliveries(3) }
        worker.start()
        val id = queue.enqueue("poison")
        assertEquals(listOf(1, 2, 3), List(3) { attempts.take() })
        val dead = withTimeout(60.seconds) {
            var letters = queue.deadLetters()
            while (letters.isEmpty()) { delay(10); letters = queue.deadLetters() }
            letters
        }
        worker.stop()
        assertEquals(1, dead.size)
        assertEquals(id, dead[0].originalId)
        assertEquals("poison", dead[0].payload)
        assertEquals(3, dead[0].attempts)
        assertEquals("cannot evict poison", dead[0].error)
        assertEquals(3, calls.get(), "no delivery after the dead letter")
        assertEquals(0L, pendingCount(), "the dead-lettered entry is acknowledged")
    }

    @Test
    fun `an entry abandoned by a killed consumer is re-claimed by another after claimIdle`() = runBlocking {
        val started = CompletableDeferred<String>()
        val dying = worker("dying", { p -> started.complete(p); awaitCancellation() })
        dying.start()
        queue.enqueue("orphan")
        assertEquals("orphan", started.await())
        dying.abandon() // killed mid-work: no XACK

        val seen = Channel<String>(Channel.UNLIMITED)
        val survivor = worker("survivor", { seen.send(it) }) { claimIdle(Duration.ofMillis(200)) }
        survivor.start()
        assertEquals("orphan", seen.take())
        survivor.stop()
        assertEquals(0L, pendingCount())
    }

    @Test
    fun `a worker restarted under the same consumer name resumes its pending entries`() = runBlocking {
        val started = CompletableDeferred<String>()
        val first = worker("pod-1", { p -> started.complete(p); awaitCancellation() })
        first.start()
        queue.enqueue("resume me")
        started.await()
        first.abandon()

        val seen = Channel<String>(Channel.UNLIMITED)
        val restarted = worker("pod-1", { seen.send(it) }) // claimIdle is 10 min: this is its own pending entry
        restarted.start()
        assertEquals("resume me", seen.take())
        restarted.stop()
        assertEquals(0L, pendingCount())
    }

    @Test
    fun `enqueue with Redis down throws instead of dropping the payload`() {
        val server = TestServices.newRedisServer()
        try {
            val down = RedisStreamQueue.builder(server.uri).name(name).commandTimeout(Duration.ofMillis(200)).build()
            down.use {
                it.enqueueBlocking("recorded")
                server.stop()
                val e = assertFailsWith<StreamUnavailableException> { it.enqueueBlocking("lost?") }
                assertTrue(e.message!!.startsWith("XADD to rf:{$name}:stream failed"))
                assertFailsWith<java.util.concurrent.ExecutionException> { it.enqueueAsync("lost?").get() }
                    .also { failure -> assertTrue(failure.cause is StreamUnavailableException) }
            }
        } finally {
            server.close()
        }
    }

    @Test
    fun `the stream is trimmed to about maxLength entries`() = runBlocking {
        val small = RedisStreamQueue.builder(TestServices.redisUri()).name("$name-small").maxLength(100).build()
        small.use { q ->
            repeat(1_000) { q.enqueue("e$it") }
            val length = q.length()
            assertTrue(length in 100..<1_000, "length $length")
        }
    }

    @Test
    fun `keys share the queue name as Redis Cluster hash tag`() {
        assertEquals("rf:{$name}:stream", queue.streamKey)
        assertEquals("rf:{$name}:dead", queue.deadLetterKey)
        assertFailsWith<IllegalArgumentException> { RedisStreamQueue.builder("redis://x").name("a{b}") }
    }
}
