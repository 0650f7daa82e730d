package dev.restflow.exposed.invalidation

import dev.restflow.cache.memory.InMemoryCacheBackend
import dev.restflow.cache.stream.RedisStreamQueue
import dev.restflow.exposed.outbox.Outbox
import dev.restflow.testing.TestServices
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.update
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.time.Duration
import java.util.UUID
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * The outbox dispatcher under the dispatcher contract: batches are stored in the committing transaction and applied
 * by a relay. Closing the registry leaves the stored batches for the next relay (nothing is lost).
 */
abstract class OutboxDispatcherContract : DispatcherContract() {
    override val dispatcherName: String = OutboxDispatcher.NAME

    override fun configure(builder: InvalidationRegistryBuilder) {
        Outbox.createSchema(db)
        transaction(db) { exec("DELETE FROM ${Outbox.TABLE_NAME}") }
        builder.dispatcher(OutboxDispatcher())
    }

    override fun awaitApplied() {
        OutboxDispatcher.relay(db, registry).build().use { relay -> while (relay.relayOnceBlocking() > 0) continue }
        assertEquals(0, Outbox.pendingCount(db))
    }

    @Test
    override fun `close drains what was taken`() {
        for (i in 1..20) touch(i)
        registry.close()
        assertEquals(20, Outbox.pendingCount(db), "one stored batch per commit survives the registry")
        assertTrue(applied.isEmpty(), "nothing is applied before a relay runs")
        // another process: a fresh registry with the same rule, and its relay
        registry = InvalidationRegistry.builder(InMemoryCacheBackend.builder().build(), db).rule(rule).also(::configure0).build()
        awaitApplied()
        assertEquals((1..20).map { "$it" }.toSet(), applied.keys)
    }

    private fun configure0(builder: InvalidationRegistryBuilder) {
        builder.dispatcher(OutboxDispatcher())
    }

    @Test
    fun `a relay woken on commit applies the batch without waiting for its poll interval`() {
        registry.close()
        val dispatcher = OutboxDispatcher()
        registry = InvalidationRegistry.builder(InMemoryCacheBackend.builder().build(), db).rule(rule).dispatcher(dispatcher).build()
        // an hour between polls: only the wake-up can explain an eviction within the test
        OutboxDispatcher.relay(db, registry).pollInterval(Duration.ofHours(1)).build().use { relay ->
            relay.start()
            dispatcher.wakeOnCommit(relay)
            // the relay's first pass runs at start; wait until it is idle on its (hour-long) poll
            runBlocking { withTimeout(30_000) { while (Outbox.pendingCount(db) > 0) kotlinx.coroutines.delay(5) } }
            touch(41)
            runBlocking { withTimeout(30_000) { while (applied["41"] == null) kotlinx.coroutines.delay(5) } }
            assertEquals(1, applied.getValue("41").get())
            assertEquals(0, Outbox.pendingCount(db))
            // a rolled-back write stores nothing and wakes nothing harmful
            runCatching { transaction(db) { Dials.update({ Dials.id eq 42 }) { it[Dials.level] = 42 }; error("rollback") } }
            assertEquals(null, applied["42"])
        }
    }
}

class H2OutboxDispatcherTest : OutboxDispatcherContract() {
    override val db: Database = Database.connect(h2Url, "org.h2.Driver")
}

class PostgresOutboxDispatcherTest : OutboxDispatcherContract() {
    override val db: Database get() = DispatchPostgres.db
}

private object StreamRedis {
    val uri: String by lazy { TestServices.newRedisServer().uri }
}

/**
 * The Redis-stream dispatcher under the dispatcher contract: batches are appended to a stream after the commit and
 * applied by a consumer-group worker. Closing the registry leaves unread batches in the stream for the next worker.
 */
abstract class RedisStreamDispatcherContract : DispatcherContract() {
    override val dispatcherName: String = RedisStreamDispatcher.NAME
    private val queue = RedisStreamQueue.builder(StreamRedis.uri).name("dispatch-" + UUID.randomUUID()).build()
    private val dispatcher = RedisStreamDispatcher(queue)

    override fun configure(builder: InvalidationRegistryBuilder) {
        builder.dispatcher(dispatcher)
    }

    /** Appends a marker after everything dispatched so far and waits until one worker has reached it (the stream is ordered). */
    override fun awaitApplied() {
        val marker = "marker-" + UUID.randomUUID()
        val reached = CompletableDeferred<Unit>()
        val worker = queue.worker { payload -> if (payload == marker) reached.complete(Unit) else registry.applyEncodedSuspending(payload) }
            .pollInterval(Duration.ofMillis(20)).batchSize(1).build()
        worker.start()
        try {
            queue.enqueueBlocking(marker)
            runBlocking { withTimeout(30_000) { reached.await() } }
        } finally {
            worker.stop()
        }
    }

    @AfterTest
    fun closeQueue() {
        queue.close()
    }

    @Test
    override fun `close drains what was taken`() {
        for (i in 1..20) touch(i)
        registry.close()
        assertTrue(applied.isEmpty(), "nothing is applied before a worker reads the stream")
        registry = InvalidationRegistry.builder(InMemoryCacheBackend.builder().build(), db).rule(rule)
            .dispatcher(RedisStreamDispatcher(queue)).build()
        awaitApplied()
        assertEquals((1..20).map { "$it" }.toSet(), applied.keys)
    }
}

class H2RedisStreamDispatcherTest : RedisStreamDispatcherContract() {
    override val db: Database = Database.connect(h2Url, "org.h2.Driver")
}

class PostgresRedisStreamDispatcherTest : RedisStreamDispatcherContract() {
    override val db: Database get() = DispatchPostgres.db
}

/** R-38 for the Redis-stream dispatcher: a batch Redis refuses goes to the fallback dispatcher, counted, never dropped. */
class RedisStreamFallbackTest {
    @Test
    fun `a batch the stream cannot take is applied inline and counted`() {
        val db = Database.connect(h2Url, "org.h2.Driver")
        transaction(db) {
            org.jetbrains.exposed.v1.jdbc.SchemaUtils.create(Dials)
            Dials.insert { it[id] = 1; it[level] = 0 }
        }
        val applied = java.util.concurrent.atomic.AtomicInteger()
        val meters = io.micrometer.core.instrument.simple.SimpleMeterRegistry()
        val server = TestServices.newRedisServer()
        val queue = RedisStreamQueue.builder(server.uri).name("fallback-" + UUID.randomUUID()).build()
        server.stop() // Redis goes away after the dispatcher was built
        val rule = invalidateOn(Dials, "dials-fallback") {
            dispatcher = RedisStreamDispatcher.NAME
            invalidator { applied.incrementAndGet() }
        }
        InvalidationRegistry.builder(InMemoryCacheBackend.builder().build(), db).rule(rule)
            .dispatcher(RedisStreamDispatcher(queue)).meterRegistry(meters).build().use {
                transaction(db) { Dials.update({ Dials.id eq 1 }) { it[level] = 1 } }
                assertEquals(1, applied.get(), "applied by the inline fallback before the commit returned")
                val spilled = meters.find("restflow.invalidation.queue.full").tag("policy", "spill").counter()
                assertEquals(1.0, spilled?.count())
            }
        queue.close()
    }
}
