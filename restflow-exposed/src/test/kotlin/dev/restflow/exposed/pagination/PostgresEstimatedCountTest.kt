package dev.restflow.exposed.pagination

import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.core.Transaction
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.statements.StatementContext
import org.jetbrains.exposed.v1.core.statements.StatementInterceptor
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction
import org.jetbrains.exposed.v1.jdbc.Query
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

object Readings : IntIdTable("estimate_readings") {
    val sensor = integer("sensor")
}

/** The page-number paginator's opt-in estimated count on a real PostgreSQL, checked by the statements it runs. */
class PostgresEstimatedCountTest {
    private val base = "http://shop.test/readings"

    @BeforeTest
    fun seed() {
        transaction(db) {
            SchemaUtils.drop(Readings)
            SchemaUtils.create(Readings)
            // 3000 rows, sensors 0, 1 and 2 a third each; ANALYZE samples every row of a table this small
            Readings.batchInsert(1..3_000) { this[Readings.sensor] = it % 3 }
            exec("ANALYZE estimate_readings")
        }
    }

    /** Runs [block], returning its value and the SQL of every statement it ran. */
    private fun <T> recording(block: JdbcTransaction.() -> T): Pair<T, List<String>> = transaction(db) {
        val statements = ArrayList<String>()
        registerInterceptor(object : StatementInterceptor {
            override fun beforeExecution(transaction: Transaction, context: StatementContext) {
                statements += context.sql(transaction)
            }
        })
        block() to statements
    }

    private fun request(vararg params: Pair<String, String>) = PageRequest(params.groupBy({ it.first }, { it.second }), base)

    private fun all(): Query = Readings.selectAll().orderBy(Readings.id)

    private fun sensor(id: Int): Query = Readings.selectAll().where { Readings.sensor eq id }.orderBy(Readings.id)

    private fun List<String>.counts() = count { it.contains("COUNT(", ignoreCase = true) }

    @Test
    fun `an unfiltered table above the threshold takes its count from pg_class without a COUNT`() {
        val p = Paginators.pageNumber(pageSize = 50, estimatedCountThreshold = 1_000)
        val (page, statements) = recording { p.paginate(all(), request("page" to "2")).map { it[Readings.id].value } }
        assertEquals(3_000, page.count)
        assertTrue(page.countEstimated)
        assertEquals((51..100).toList(), page.results)
        assertEquals("$base?page=3", page.next)
        assertEquals(base, page.previous)
        assertEquals(0, statements.counts(), "no COUNT: $statements")
        assertEquals(1, statements.count { "pg_class" in it && "reltuples" in it })
        assertEquals(0, statements.count { it.startsWith("EXPLAIN") })
    }

    @Test
    fun `a filtered query above the threshold takes the planner's estimate of the same bound SQL`() {
        val p = Paginators.pageNumber(pageSize = 50, estimatedCountThreshold = 500)
        val (result, statements) = recording {
            val query = sensor(1)
            val expectedSql = "EXPLAIN (FORMAT JSON) " + query.prepareSQL(this, prepared = true)
            p.paginate(query, request()).map { it[Readings.id].value } to expectedSql
        }
        val (page, explainSql) = result
        assertTrue(page.countEstimated)
        // 1000 rows match; the planner's estimate from the column statistics is close to, not necessarily exactly, that
        assertTrue(page.count!! in 900L..1_100L, "estimate ${page.count}")
        assertEquals((1..50).map { it * 3 - 2 }, page.results)
        assertEquals(0, statements.counts(), "no COUNT: $statements")
        assertEquals(listOf(explainSql), statements.filter { it.startsWith("EXPLAIN") })
        assertTrue("?" in explainSql, "the filter value is a bound parameter: $explainSql")
    }

    @Test
    fun `estimates below the threshold are exact COUNTs`() {
        val p = Paginators.pageNumber(pageSize = 50, estimatedCountThreshold = 5_000)
        val (unfiltered, first) = recording { p.paginate(all(), request()) }
        assertEquals(3_000, unfiltered.count)
        assertFalse(unfiltered.countEstimated)
        assertEquals(1, first.counts())
        val (filtered, second) = recording { p.paginate(sensor(2), request()) }
        assertEquals(1_000, filtered.count)
        assertFalse(filtered.countEstimated)
        assertEquals(1, second.counts())
    }

    @Test
    fun `with an estimate the last page knows its exact count and pages past it are invalid`() {
        val p = Paginators.pageNumber(pageSize = 400, maxPageSize = 400, estimatedCountThreshold = 500)
        val (last, statements) = recording { p.paginate(sensor(0), request("page" to "3")) }
        assertEquals(200, last.results.size)
        assertEquals(1_000, last.count)
        assertFalse(last.countEstimated, "the rows seen on the last page give the exact count")
        assertNull(last.next)
        assertEquals(0, statements.counts())
        assertFailsWith<PaginationException.InvalidPage> { transaction(db) { p.paginate(sensor(0), request("page" to "4")) } }
        assertFailsWith<PaginationException.InvalidPage> { transaction(db) { p.paginate(sensor(0), request("page" to "x")) } }
        val (byLast, lastStatements) = recording { p.paginate(sensor(0), request("page" to "last")) }
        assertEquals(200, byLast.results.size)
        assertEquals(1, lastStatements.counts(), "page=last counts exactly")
    }

    private companion object {
        val db: Database by lazy {
            val pg = TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
