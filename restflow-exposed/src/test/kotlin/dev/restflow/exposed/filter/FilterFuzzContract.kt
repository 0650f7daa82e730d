package dev.restflow.exposed.filter

import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.inList
import org.jetbrains.exposed.v1.core.lowerCase
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.random.Random
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * "Never a 500 for any query string" (issue 3, point 5): thousands of random requests over every declared
 * parameter, with hostile values, either fail validation with messages or run on the database without an error.
 */
abstract class FilterFuzzContract {
    protected abstract val db: Database

    @BeforeTest
    fun rows() {
        BookRows.create(db)
    }

    private val books = filterSet(Books) {
        fromTable(exclude = listOf(Books.stage))
        field(Books.stage) { basic(); choices(Stage.entries) }
        field(Books.published) { dateParts(Lookup.GTE, Lookup.IN, Lookup.RANGE); timeParts(Lookup.LT) }
        related(Books.shelf) { field(Shelves.slug) { basic(); text() } }
        method("q") { v -> Books.title.lowerCase() eq v.lowercase() }
        method("n", FilterType.listOf(FilterType.INT)) { v -> Books.id inList v }
        ordering { key("title", Books.title); key("published", Books.published) }
    }

    private val values = listOf(
        "", " ", "1", "-1", "0", "2147483648", "99999999999999999999", "1e400", "NaN", "Infinity", "0x1F", "1.5",
        "true", "YES", "maybe", "2024-02-30", "2024-13-01", "2024-01-01T25:00", "2024-01-01T10:00:00+25:00", "10:61",
        "P1D", "1 02:03:04", "' OR 1=1 --", "\u0000", "a\u0000b", "%", "_", "\\", "%_\\", "💥", "Ω≈ç√", "LIVE",
        "DRAFT,LIVE", "1,2,3", ",,,", "1,,2", "a,b", "office", "home,attic", "-title", "title,-published", "bogus",
        "x".repeat(1_001), "9".repeat(300), "1,".repeat(600), "\r\n", "null", "None", "[]", "{}", "🙂,🙂",
    )

    @Test
    fun `random query strings validate or run, never error`() {
        val names = books.parameters.map { it.name } + listOf("unknown", "page", "order_by")
        val random = Random(20261203)
        var valid = 0
        var invalid = 0
        repeat(2_000) { round ->
            val params = LinkedHashMap<String, MutableList<String>>()
            repeat(random.nextInt(1, 6)) {
                params.getOrPut(names.random(random)) { ArrayList() } += values.random(random)
            }
            when (val result = books.parse(params)) {
                is FilterResult.Invalid -> {
                    invalid++
                    assertTrue(result.errors.values.all { it.isNotEmpty() }, "round $round: $params")
                }
                is FilterResult.Valid -> {
                    valid++
                    try {
                        transaction(db) { result.applyTo(Books.selectAll()).toList() }
                    } catch (e: Exception) {
                        fail("round $round: $params ran into $e", e)
                    }
                }
            }
        }
        assertTrue(valid > 100 && invalid > 100, "both outcomes exercised: $valid valid, $invalid invalid")
    }
}

class H2FilterFuzzTest : FilterFuzzContract() {
    override val db: Database =
        Database.connect("jdbc:h2:mem:filter-fuzz-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
}

class PostgresFilterFuzzTest : FilterFuzzContract() {
    override val db: Database = shared

    private companion object {
        val shared: Database by lazy {
            val pg = TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
