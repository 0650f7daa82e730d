package dev.restflow.exposed.stream

import dev.restflow.testing.TestServices
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.greater
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

object Readings : Table("readings") {
    val id = integer("id")
    val value = integer("value")
    override val primaryKey = PrimaryKey(id)
}

abstract class RowStreamsContract {
    protected abstract val db: Database

    @BeforeTest
    fun seed() {
        transaction(db) {
            SchemaUtils.drop(Readings)
            SchemaUtils.create(Readings)
            Readings.batchInsert(1..2_000) { this[Readings.id] = it; this[Readings.value] = it % 7 }
        }
    }

    @Test
    fun `every matching row is streamed in query order across many fetches`(): Unit = runBlocking {
        val ids = streamRows(db, fetchSize = 64) {
            Readings.selectAll().where { Readings.value greater 0 }.orderBy(Readings.id, SortOrder.DESC)
        }.toList().map { it[Readings.id] }
        val expected = (2_000 downTo 1).filter { it % 7 > 0 }
        assertEquals(expected, ids)
    }

    @Test
    fun `an empty result streams nothing`(): Unit = runBlocking {
        assertEquals(0, streamRows(db) { Readings.selectAll().where { Readings.value greater 100 } }.toList().size)
    }

    @Test
    fun `a collector that stops early ends the transaction, and the database stays usable`(): Unit = runBlocking {
        val first = streamRows(db, fetchSize = 10) { Readings.selectAll().orderBy(Readings.id) }.take(3).toList()
        assertEquals(listOf(1, 2, 3), first.map { it[Readings.id] })
        assertEquals(2_000, transaction(db) { Readings.selectAll().count() }.toInt())
        assertIdle()
    }

    @Test
    fun `a database error fails the flow with the driver's exception`(): Unit = runBlocking {
        val broken = object : Table("no_such_table") {
            val id = integer("id")
        }
        assertFailsWith<java.sql.SQLException> { streamRows(db) { broken.selectAll() }.toList() }
        assertIdle()
    }

    /** No connection is left inside a transaction (checked where the database can tell). */
    protected open fun assertIdle() {}
}

class H2RowStreamsTest : RowStreamsContract() {
    override val db: Database = Database.connect("jdbc:h2:mem:streams-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
}

class PostgresRowStreamsTest : RowStreamsContract() {
    override val db: Database = shared

    override fun assertIdle() {
        val stuck = transaction(db) {
            exec("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'") { rs ->
                rs.next()
                rs.getInt(1)
            }
        }
        assertEquals(0, stuck, "a streaming transaction was left open")
    }

    private companion object {
        val shared: Database by lazy {
            val pg = TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
