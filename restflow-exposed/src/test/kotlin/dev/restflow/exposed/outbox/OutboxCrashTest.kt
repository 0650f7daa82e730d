package dev.restflow.exposed.outbox

import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.io.File
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * R-37 on PostgreSQL with real processes: a child JVM is killed with SIGKILL right after committing (before any relay
 * ran), or in the middle of relaying; a relay in this JVM then delivers what the dead process left, and the duplicate
 * delivery of the second case is harmless.
 */
class OutboxCrashTest {
    private val pg = OutboxFixtures.postgres
    private val db: Database = OutboxFixtures.connect(pg)
    private val delivered = CopyOnWriteArrayList<String>()

    @BeforeTest
    fun resetTables() {
        OutboxFixtures.reset(db)
    }

    private fun relay(clock: TestClock = TestClock()) = OutboxRelay.builder(db).handler { delivered += it }.clock(clock).build()

    /** Starts the child with this test's classpath, waits for [marker] on its output, then kills it with SIGKILL. */
    private fun runChildAndKill(marker: String, vararg args: String): String {
        val java = File(System.getProperty("java.home"), "bin/java").path
        val command = listOf(java, "-cp", System.getProperty("java.class.path"), OutboxCrashChild::class.java.name) +
            listOf(args[0], pg.jdbcUrl, pg.user, pg.password) + args.drop(1)
        val child = ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start()
        try {
            val out = child.inputStream.bufferedReader()
            while (true) {
                val line = checkNotNull(out.readLine()) { "the child exited (${child.waitFor()}) before printing $marker" }
                if (line.startsWith(marker)) {
                    child.destroyForcibly() // SIGKILL on Unix: no shutdown hooks, no finally blocks
                    assertTrue(child.waitFor(60, TimeUnit.SECONDS))
                    assertEquals(137, child.exitValue(), "killed by SIGKILL")
                    return line
                }
            }
        } finally {
            child.destroyForcibly()
        }
    }

    @Test
    fun `an outbox row committed by a process killed before any relay ran is delivered by a relay started later`() {
        runChildAndKill("COMMITTED", "commit", "lamp")

        assertEquals(1L, transaction(db) { OutboxProducts.selectAll().count() }, "the business row committed")
        assertEquals(1L, Outbox.pendingCount(db), "and its outbox row with it, not yet relayed")
        val relay = relay()
        assertEquals(1, relay.relayOnceBlocking())
        assertEquals(listOf("""{"evict":["products:lamp"]}"""), delivered)
        assertEquals(0, relay.relayOnceBlocking(), "relaying again delivers nothing new")
        assertEquals(0, relay().relayOnceBlocking(), "nor does a second relay")
        assertEquals(0L, Outbox.pendingCount(db))
    }

    @Test
    fun `a row whose relay process was killed mid-delivery is delivered again after its lease, harmlessly`() {
        transaction(db) { Outbox.enqueue("products:desk") }
        val line = runChildAndKill("HANDLING", "relay")
        assertEquals("HANDLING products:desk", line)

        val clock = TestClock(System.currentTimeMillis()) // the wall clock the child's lease was taken on
        val relay = relay(clock)
        assertEquals(0, relay.relayOnceBlocking(), "the killed relay's lease still holds")
        clock.advance(java.time.Duration.ofMinutes(1).toMillis() + 1)
        assertEquals(1, relay.relayOnceBlocking())
        assertEquals(listOf("products:desk"), delivered)
        assertEquals(0L, Outbox.pendingCount(db))
    }
}
