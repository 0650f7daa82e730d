package dev.restflow.exposed.invalidation

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import dev.restflow.cache.memory.InMemoryCacheBackend
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.greater
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import org.slf4j.LoggerFactory
import kotlin.test.AfterTest
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Issue 6's "debug trace of which commit dropped which keys": the logger `dev.restflow.invalidation.trace` at DEBUG
 * tells, for each commit, the batches handed to each dispatcher, and for each applied item the rule, the target and
 * the partition values (or `(whole)`), all under the commit's id; at INFO it says nothing. A captured logback
 * appender reads the events. Behaviour does not depend on the database: H2 and the in-memory backend.
 */
class InvalidationTraceTest {
    private val db = Database.connect(h2Url, "org.h2.Driver").also { db ->
        transaction(db) {
            SchemaUtils.create(Dials)
            Dials.batchInsert(1..10) { n -> this[Dials.id] = n; this[Dials.level] = 0 }
        }
    }
    private val logger = LoggerFactory.getLogger("dev.restflow.invalidation.trace") as Logger
    private val appender = ListAppender<ILoggingEvent>()
    private val registry = invalidationRegistry(InMemoryCacheBackend.builder().build(), db) {
        rule(invalidateOn(Dials, "dial-pages") { namespace("dials"); partition(Dials.id) })
    }

    @BeforeTest
    fun capture() {
        appender.start()
        logger.addAppender(appender)
        logger.level = Level.DEBUG
    }

    @AfterTest
    fun release() {
        logger.detachAppender(appender)
        logger.level = null
        registry.close()
    }

    private fun lines(): List<String> = appender.list.map { it.formattedMessage }

    @Test
    fun `the trace names each commit, its dispatcher, the rule, the target and the dropped partitions`() {
        transaction(db) { Dials.update({ Dials.id eq 4 }) { it[level] = 1 } }
        val (dispatched, applied) = lines().also { assertEquals(2, it.size, "one line per batch and one per applied item: $it") }
        val commit = Regex("""^commit (\S+) → inline: \[InvalidationWork\(rule=dial-pages, whole=false, args=\[\{partition=4}]\)]$""")
            .matchEntire(dispatched)?.groupValues?.get(1) ?: throw AssertionError("unexpected dispatch line: $dispatched")
        assertEquals("batch $commit-1 (inline): rule dial-pages dropped namespace dials [{partition=4}]", applied)
        assertTrue(appender.list.all { it.level == Level.DEBUG })
    }

    @Test
    fun `a write whose rows cannot be told is traced as a whole-target drop`() {
        transaction(db) { Dials.update({ Dials.level greater 100 }) { it[level] = 0 } }
        assertTrue(lines().last().matches(Regex("""^batch \S+-1 \(inline\): rule dial-pages dropped namespace dials \(whole\)$""")), lines().toString())
    }

    @Test
    fun `at INFO the trace is silent`() {
        logger.level = Level.INFO
        transaction(db) { Dials.update({ Dials.id eq 5 }) { it[level] = 1 } }
        assertEquals(emptyList(), lines())
    }
}
