package dev.restflow.exposed.filter

import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.VarCharColumnType
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals

object Tagged : Table("tagged") {
    val id = integer("id")
    val tags = array("tags", VarCharColumnType(20))
    override val primaryKey = PrimaryKey(id)
}

/** `tags__contains` (every listed value) and `tags__overlap` (any), with negation, on H2 and PostgreSQL. */
abstract class ArrayFilterContract {
    protected abstract val db: Database

    private val set = filterSet(Tagged) { field(Tagged.tags, "tags") { lookups(Lookup.ARRAY_CONTAINS, Lookup.OVERLAP) } }

    @BeforeTest
    fun seed() {
        transaction(db) {
            SchemaUtils.drop(Tagged)
            SchemaUtils.create(Tagged)
            listOf(1 to listOf("sale", "eco"), 2 to listOf("sale"), 3 to listOf("new", "eco"), 4 to emptyList<String>())
                .forEach { (i, t) -> Tagged.insert { it[id] = i; it[tags] = t } }
        }
    }

    private fun ids(vararg params: Pair<String, String>): List<Int> = transaction(db) {
        set.apply(Tagged.selectAll(), params.groupBy({ it.first }, { it.second })).map { it[Tagged.id] }.sorted()
    }

    @Test
    fun `contains needs every listed value and overlap any of them`() {
        assertEquals(listOf(1, 2), ids("tags__contains" to "sale"))
        assertEquals(listOf(1), ids("tags__contains" to "sale,eco"))
        assertEquals(listOf(3, 4), ids("tags__contains!" to "sale"))
        assertEquals(listOf(1, 2, 3), ids("tags__overlap" to "sale,new"))
        assertEquals(listOf(4), ids("tags__overlap!" to "sale,new,eco"))
    }

    @Test
    fun `values are bound as parameters, so quotes in them are harmless`() {
        assertEquals(emptyList(), ids("tags__contains" to "x') OR TRUE --"))
    }
}

class H2ArrayFilterTest : ArrayFilterContract() {
    override val db: Database = Database.connect("jdbc:h2:mem:arrays-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
}

class PostgresArrayFilterTest : ArrayFilterContract() {
    override val db: Database by lazy {
        val pg = TestServices.newPostgresDatabase()
        Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
    }
}
