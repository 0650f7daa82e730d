package dev.restflow.exposed.invalidation

import dev.restflow.cache.stream.RedisStreamQueue
import dev.restflow.cache.stream.StreamDeadLetter
import dev.restflow.exposed.outbox.Outbox
import dev.restflow.exposed.outbox.OutboxTable
import dev.restflow.exposed.outbox.TestClock
import dev.restflow.testing.TestServices
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.isNotNull
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.time.Duration
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.AfterTest
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds

/**
 * Dead letters through the registry: a rule whose custom invalidator always fails, on a durable dispatcher that
 * raises, ends in the Redis stream's dead-letter stream (or parked in the outbox) after N attempts, as a decodable
 * [InvalidationBatch] whose error names the rule, counted by the transport's `dead` meter. What happens to a rule
 * of the same commit that succeeds depends on batching: in a shared batch it is re-applied on every delivery (and
 * dead-lettered with the batch), in its own batch it is applied once. Durable dispatchers raise by default; with
 * `raiseException = false` a failure is only logged and counted: the batch is acknowledged, never retried. Runs on H2 and PostgreSQL with a real Redis.
 */
abstract class DeadLetterContract {
    protected abstract val db: Database
    private val meters = SimpleMeterRegistry()
    private val failures = AtomicInteger()
    private val evicted = CopyOnWriteArrayList<InvalidationWork>()
    private val closing = ArrayList<AutoCloseable>()

    @BeforeTest
    fun createDials() {
        transaction(db) {
            SchemaUtils.drop(Dials)
            SchemaUtils.create(Dials)
            Dials.batchInsert(1..10) { n -> this[Dials.id] = n; this[Dials.level] = 0 }
        }
    }

    @AfterTest
    fun close() {
        for (c in closing) c.close()
    }

    private fun rules(dispatcher: String, batch: Boolean) = arrayOf(
        invalidateOn(Dials, "always-fails") {
            this.dispatcher = dispatcher
            this.batch = batch
            map("id" to Dials.id)
            invalidator { _ -> failures.incrementAndGet(); error("search index down") }
        },
        invalidateOn(Dials, "evicts") {
            this.dispatcher = dispatcher
            this.batch = batch
            map("id" to Dials.id)
            invalidator { work -> evicted += work }
        },
    )

    private fun touch(id: Int) {
        transaction(db) { Dials.update({ Dials.id eq id }) { it[level] = id } }
    }

    private fun count(name: String, vararg tags: String): Double = meters.find(name).tags(*tags).counters().sumOf { it.count() }

    private fun <T> awaitValue(what: String, probe: suspend () -> T?): T = runBlocking {
        withTimeoutOrNull(30.seconds) {
            var value = probe()
            while (value == null) {
                delay(10)
                value = probe()
            }
            value
        } ?: throw AssertionError("Timed out after 30 s waiting for $what")
    }

    private fun newQueue(): RedisStreamQueue =
        RedisStreamQueue.builder(TestServices.redisUri()).name("dead-" + UUID.randomUUID()).meterRegistry(meters).build().also { closing += it }

    /** A registry whose rules go to [dispatcher], and its started worker (3 deliveries, no backoff). */
    private fun streamSetup(dispatcher: RedisStreamDispatcher, batch: Boolean) {
        val registry = invalidationRegistry(null, db) {
            dispatcher(dispatcher)
            rule(*rules(RedisStreamDispatcher.NAME, batch))
            meterRegistry = meters
        }
        closing.add(0, registry)
        val worker = dispatcher.worker(registry).maxDeliveries(3).initialBackoff(Duration.ZERO).pollInterval(Duration.ofMillis(20)).build()
        worker.start()
        closing.add(0, worker)
    }

    @Test
    fun `a shared batch whose rule always fails is dead-lettered after maxDeliveries, and the other rule is applied on each delivery`() {
        val queue = newQueue()
        // region dead-letters
        val dispatcher = RedisStreamDispatcher(queue) // durable dispatchers raise by default: the worker retries
        val registry = invalidationRegistry(null, db) {
            dispatcher(dispatcher)
            rule(*rules(RedisStreamDispatcher.NAME, batch = true))
            meterRegistry = meters
        }
        val worker = dispatcher.worker(registry)
            .maxDeliveries(3) // then the batch moves to the dead-letter stream, acknowledged
            .initialBackoff(Duration.ZERO).pollInterval(Duration.ofMillis(20))
            .build()
        worker.start()
        // endregion
        closing.add(0, registry)
        closing.add(0, worker)
        touch(5)
        val dead: StreamDeadLetter = awaitValue("the dead letter") { queue.deadLetters().singleOrNull() }
        assertEquals(3, dead.attempts)
        val batch = InvalidationBatch.decode(dead.payload)
        assertEquals(listOf("always-fails", "evicts"), batch.items.map { it.rule }, "the whole batch is dead-lettered")
        assertEquals(listOf(mapOf("id" to "5")), batch.items[0].args)
        assertTrue("[always-fails]" in dead.error && "evicts" !in dead.error, dead.error)
        assertEquals(3, failures.get())
        assertEquals(3, evicted.size, "the rule that succeeds was applied on each of the 3 deliveries (harmless)")
        assertEquals(1.0, count("restflow.stream.dead", "queue", queue.name))
        assertEquals(3.0, count("restflow.stream.failed", "queue", queue.name))
        assertEquals(3.0, count("restflow.invalidation.failures", "rule", "always-fails"))
        assertEquals(0.0, count("restflow.invalidation.failures", "rule", "evicts"))
    }

    @Test
    fun `without batching only the failing rule's batch is dead-lettered, the other is applied once`() {
        val queue = newQueue()
        streamSetup(RedisStreamDispatcher(queue), batch = false)
        touch(6)
        val dead = awaitValue("the dead letter") { queue.deadLetters().singleOrNull() }
        assertEquals(listOf("always-fails"), InvalidationBatch.decode(dead.payload).items.map { it.rule })
        assertEquals(listOf(InvalidationWork("evicts", false, listOf(mapOf("id" to "6")))), evicted.toList())
        assertEquals(1.0, count("restflow.stream.processed", "queue", queue.name), "the succeeding batch was acknowledged")
        assertEquals(3, failures.get())
    }

    @Test
    fun `with raiseException false a failing rule is logged and counted once, and its batch acknowledged, not retried`() {
        val queue = newQueue()
        streamSetup(RedisStreamDispatcher(queue, raiseException = false), batch = true)
        touch(7)
        awaitValue("the batch acknowledged") { if (count("restflow.stream.processed", "queue", queue.name) == 1.0) true else null }
        assertEquals(1, failures.get())
        assertEquals(1, evicted.size)
        assertEquals(emptyList(), runBlocking { queue.deadLetters() })
        assertEquals(1.0, count("restflow.invalidation.failures", "rule", "always-fails"))
    }

    @Test
    fun `the outbox relay parks a batch whose rule always fails after maxAttempts`() {
        Outbox.createSchema(db)
        transaction(db) { exec("DELETE FROM ${Outbox.TABLE_NAME}") }
        val clock = TestClock()
        val registry = invalidationRegistry(null, db) {
            dispatcher(OutboxDispatcher())
            rule(*rules(OutboxDispatcher.NAME, batch = true))
            meterRegistry = meters
        }
        closing += registry
        val relay = OutboxDispatcher.relay(db, registry).clock(clock).maxAttempts(3)
            .initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(1)).meterRegistry(meters).build()
        touch(8)
        repeat(3) {
            assertEquals(0, relay.relayOnceBlocking(), "attempt ${it + 1} fails")
            clock.advance(2_000)
        }
        assertEquals(1L, Outbox.deadCount(db))
        assertEquals(0L, Outbox.pendingCount(db))
        val (payload, error) = transaction(db) {
            OutboxTable.selectAll().where { OutboxTable.deadAt.isNotNull() }.single().let { it[OutboxTable.payload] to it[OutboxTable.lastError] }
        }
        assertEquals(listOf("always-fails", "evicts"), InvalidationBatch.decode(payload).items.map { it.rule })
        assertTrue("[always-fails]" in error.orEmpty(), error)
        assertEquals(3, failures.get())
        assertEquals(3, evicted.size, "the shared batch is re-applied on every attempt")
        assertEquals(1.0, count("restflow.outbox.dead"))
        assertEquals(0, relay.relayOnceBlocking(), "a parked row is not delivered again")
        assertEquals(3, failures.get())
    }
}

class H2DeadLetterTest : DeadLetterContract() {
    override val db: Database = Database.connect(h2Url, "org.h2.Driver")
}

class PostgresDeadLetterTest : DeadLetterContract() {
    override val db: Database get() = DispatchPostgres.db
}
