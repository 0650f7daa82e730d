package dev.restflow.exposed.filter

import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

object Posts : Table("posts") {
    val id = integer("id")
    val title = varchar("title", 100)
    val tags = array<String>("tags")
    override val primaryKey = PrimaryKey(id)
}

/** The PostgreSQL-only lookups (full-text search, pg_trgm, unaccent, arrays, regex) on a real PostgreSQL. */
class PostgresFilterLookupsTest {
    private val db: Database = shared

    @BeforeTest
    fun createRows() {
        transaction(db) {
            exec("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            exec("CREATE EXTENSION IF NOT EXISTS unaccent")
            SchemaUtils.drop(Posts)
            SchemaUtils.create(Posts)
            listOf(
                Triple(1, "The quick brown foxes jumped", listOf("animals", "fast")),
                Triple(2, "Crème brûlée recipe", listOf("food")),
                Triple(3, "Creme brulee, the easy way", listOf("food", "fast")),
            ).forEach { (i, t, g) -> Posts.insert { it[id] = i; it[title] = t; it[tags] = g } }
        }
    }

    private val posts = filterSet(Posts) {
        textSearchConfig = "english"
        field(Posts.title) { basic(); postgres(); lookups(Lookup.REGEX, Lookup.IREGEX) }
        field(Posts.tags) { array() }
    }

    private fun ids(vararg params: Pair<String, String>): List<Int> = transaction(db) {
        posts.apply(Posts.selectAll(), params.groupBy({ it.first }, { it.second })).map { it[Posts.id] }.sorted()
    }

    @Test
    fun `full-text search uses the configured text-search config, and negates`() {
        assertEquals(listOf(1), ids("title__search" to "fox jumping"))
        assertEquals(listOf(2, 3), ids("title__search!" to "fox jumping"))
    }

    @Test
    fun `trigram similarity needs pg_trgm and negates`() {
        assertEquals(listOf(3), ids("title__trigram_similar" to "creme brulee the easy way"))
        assertEquals(listOf(1, 2), ids("title__trigram_similar!" to "creme brulee the easy way"))
    }

    @Test
    fun `unaccent compares without accents`() {
        assertEquals(listOf(2), ids("title__unaccent" to "Creme brulee recipe"))
        assertEquals(listOf(1, 3), ids("title__unaccent!" to "Creme brulee recipe"))
    }

    @Test
    fun `array contains, overlap and contained_by bind the list as one array parameter`() {
        assertEquals(listOf(3), ids("tags__contains" to "food,fast"))
        assertEquals(listOf(1, 2), ids("tags__contains!" to "food,fast"))
        assertEquals(listOf(1, 3), ids("tags__overlap" to "fast", "tags__overlap" to "nothing"))
        assertEquals(listOf(2), ids("tags__overlap!" to "fast"))
        assertEquals(listOf(2), ids("tags__contained_by" to "food,drink"))
        assertEquals(listOf(1, 3), ids("tags__contained_by!" to "food,drink"))
    }

    @Test
    fun `regex lookups only when named explicitly`() {
        assertEquals(listOf(1), ids("title__regex" to "^The [a-z]+"))
        assertEquals(listOf(2, 3), ids("title__regex!" to "^The [a-z]+"))
        assertEquals(listOf(2, 3), ids("title__iregex" to "^CR[eè]ME"))
        val plain = filterSet(Posts) { field(Posts.title) { basic(); postgres() } }
        assertTrue(plain.parameters.none { it.name.contains("regex") })
    }

    @Test
    fun `a PostgreSQL lookup on H2 fails at verify with a clear message`() {
        val h2 = Database.connect("jdbc:h2:mem:pg-lookups-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
        val e = assertFailsWith<IllegalStateException> { posts.verify(h2) }
        assertTrue(e.message!!.contains("PostgreSQL-only lookups"), e.message)
        posts.verify(db)
    }

    private companion object {
        val shared: Database by lazy {
            val pg = TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
