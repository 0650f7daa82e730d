package dev.restflow.exposed.outbox

import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds

/** Simulates a relay process dying inside its handler: not an [Exception], so the relay does not record a failure. */
class SimulatedCrash : Error("relay process died")

/**
 * The transactional outbox on a real database: atomic with the business change, relayed once per pass, retried and
 * parked, redelivered after a crash, exclusive between concurrent relays. Runs on H2 and PostgreSQL.
 */
abstract class OutboxContract {
    protected abstract val db: Database
    private val clock = TestClock()
    private val delivered = CopyOnWriteArrayList<String>()

    @BeforeTest
    fun resetTables() {
        OutboxFixtures.reset(db)
    }

    private fun relay(maxAttempts: Int = 3, batchSize: Int = 100, handler: suspend (String) -> Unit = { delivered += it }) =
        OutboxRelay.builder(db).handler(handler).clock(clock).batchSize(batchSize).maxAttempts(maxAttempts)
            .initialBackoff(java.time.Duration.ofSeconds(1)).maxBackoff(java.time.Duration.ofSeconds(4))
            .claimTimeout(java.time.Duration.ofSeconds(30)).build()

    @Test
    fun `an outbox row written in a rolled-back transaction is never relayed`() {
        assertFailsWith<IllegalStateException> {
            transaction(db) {
                OutboxProducts.insert { it[name] = "ghost" }
                Outbox.enqueue("evict ghost")
                error("the business write failed")
            }
        }
        assertEquals(0, relay().relayOnceBlocking())
        assertEquals(0L, Outbox.pendingCount(db))
        assertEquals(emptyList(), delivered)
    }

    @Test
    fun `enqueue outside a transaction is refused`() {
        val e = assertFailsWith<IllegalStateException> { Outbox.enqueue("orphan") }
        assertTrue("inside the Exposed transaction" in e.message!!)
    }

    @Test
    fun `a committed outbox row is relayed exactly once and kept as done until purged`() {
        // region outbox-enqueue
        transaction(db) {
            OutboxProducts.insert { it[name] = "lamp" }
            // same transaction: the row commits or rolls back with the product
            Outbox.enqueue("""{"evict":["products:lamp"]}""")
        }
        // endregion
        val relay = relay()
        assertEquals(1, relay.relayOnceBlocking())
        assertEquals(0, relay.relayOnceBlocking())
        assertEquals(listOf("""{"evict":["products:lamp"]}"""), delivered)
        assertEquals(0L, Outbox.pendingCount(db))
        assertEquals(1L, transaction(db) { OutboxTable.selectAll().count() }, "done rows are kept")

        assertEquals(0, Outbox.purgeDone(db, java.time.Duration.ofMinutes(1), clock))
        clock.advance(61_000)
        assertEquals(1, Outbox.purgeDone(db, java.time.Duration.ofMinutes(1), clock))
        assertEquals(0L, transaction(db) { OutboxTable.selectAll().count() })
    }

    @Test
    fun `a pass delivers at most one batch in id order`() {
        repeat(5) { i -> transaction(db) { Outbox.enqueue("p$i") } }
        val relay = relay(batchSize = 2)
        assertEquals(2, relay.relayOnceBlocking())
        assertEquals(listOf("p0", "p1"), delivered)
        assertEquals(2, relay.relayOnceBlocking())
        assertEquals(1, relay.relayOnceBlocking())
        assertEquals(listOf("p0", "p1", "p2", "p3", "p4"), delivered)
    }

    @Test
    fun `a failing handler is retried with exponential backoff and parked after maxAttempts`() {
        transaction(db) { Outbox.enqueue("poison") }
        var calls = 0
        val relay = relay(maxAttempts = 3) { calls++; throw IllegalArgumentException("cannot evict") }

        assertEquals(0, relay.relayOnceBlocking())
        assertEquals(1, calls)
        assertEquals(0, relay.relayOnceBlocking(), "not due before its backoff")
        assertEquals(1, calls)
        clock.advance(999)
        relay.relayOnceBlocking()
        assertEquals(1, calls, "the first backoff is 1 s")
        clock.advance(1)
        relay.relayOnceBlocking()
        assertEquals(2, calls)
        clock.advance(1_999)
        relay.relayOnceBlocking()
        assertEquals(2, calls, "the second backoff is 2 s")
        clock.advance(1)
        relay.relayOnceBlocking()
        assertEquals(3, calls)
        assertEquals(0L, Outbox.pendingCount(db))
        assertEquals(1L, Outbox.deadCount(db))
        val error = transaction(db) { OutboxTable.selectAll().single()[OutboxTable.lastError] }
        assertEquals("after 3 attempts: cannot evict", error)

        clock.advance(3_600_000)
        relay.relayOnceBlocking()
        assertEquals(3, calls, "a parked row is never delivered again")
    }

    @Test
    fun `a handler that recovers delivers the row on its retry`() {
        transaction(db) { Outbox.enqueue("flaky") }
        var calls = 0
        val relay = relay { calls++; if (calls == 1) error("redis briefly down") else delivered += it }
        assertEquals(0, relay.relayOnceBlocking())
        clock.advance(1_000)
        assertEquals(1, relay.relayOnceBlocking())
        assertEquals(listOf("flaky"), delivered)
        assertEquals(0L, Outbox.deadCount(db))
    }

    @Test
    fun `a relay that dies mid-delivery leaves its row to be delivered again, and the duplicate is harmless`() {
        val cache = ConcurrentHashMap(mapOf("products:lamp" to "stale", "products:desk" to "fresh"))
        transaction(db) { Outbox.enqueue("products:lamp") }
        val evict: suspend (String) -> Unit = { key -> cache.remove(key); delivered += key }

        val dying = relay { evict(it); throw SimulatedCrash() } // evicted, then died before marking it done
        assertFailsWith<SimulatedCrash> { dying.relayOnceBlocking() }
        val survivor = relay(handler = evict)
        assertEquals(0, survivor.relayOnceBlocking(), "the dead relay's lease still holds")
        clock.advance(30_000)
        assertEquals(1, survivor.relayOnceBlocking())
        assertEquals(0, survivor.relayOnceBlocking())

        // at least once: delivered twice, and evicting twice leaves the same cache as evicting once
        assertEquals(listOf("products:lamp", "products:lamp"), delivered)
        assertEquals(mapOf("products:desk" to "fresh"), cache.toMap())
    }

    @Test
    fun `a row whose relay died during its last attempt is parked, not delivered again`() {
        transaction(db) { Outbox.enqueue("doomed") }
        val dying = relay(maxAttempts = 1) { throw SimulatedCrash() }
        assertFailsWith<SimulatedCrash> { dying.relayOnceBlocking() }
        clock.advance(30_000)
        assertEquals(0, relay(maxAttempts = 1).relayOnceBlocking())
        assertEquals(emptyList(), delivered)
        assertEquals(1L, Outbox.deadCount(db))
    }

    @Test
    fun `concurrent relays never deliver the same row`() {
        val rows = 200
        transaction(db) { repeat(rows) { Outbox.enqueue("row-$it") } }
        val pool = Executors.newFixedThreadPool(2)
        try {
            val relays = List(2) { relay(batchSize = 7) }
            val futures = relays.map { r ->
                pool.submit<Int> {
                    var total = 0
                    while (Outbox.pendingCount(db) > 0) total += r.relayOnceBlocking()
                    total
                }
            }
            val totals = futures.map { it.get(120, TimeUnit.SECONDS) }
            assertEquals(rows, totals.sum())
        } finally {
            pool.shutdownNow()
        }
        assertEquals(rows, delivered.size)
        assertEquals(rows, delivered.toSet().size, "no row was delivered twice")
    }

    @Test
    fun `a started relay delivers in the background and stops gracefully`() = runBlocking {
        val seen = Channel<String>(Channel.UNLIMITED)
        val relay = OutboxRelay(db, { payload: String -> seen.send(payload) }, pollInterval = 1.seconds, batchSize = 10)
        relay.start()
        try {
            transaction(db) { Outbox.enqueue("live") }
            relay.wakeUp()
            assertEquals("live", withTimeout(30.seconds) { seen.receive() })
        } finally {
            relay.stopAsync().get(30, TimeUnit.SECONDS)
        }
        assertEquals(0L, Outbox.pendingCount(db))
    }
}

class H2OutboxTest : OutboxContract() {
    override val db: Database = OutboxFixtures.h2()
}

class PostgresOutboxTest : OutboxContract() {
    override val db: Database = shared

    private companion object {
        val shared: Database by lazy { OutboxFixtures.connect(OutboxFixtures.postgres) }
    }
}
