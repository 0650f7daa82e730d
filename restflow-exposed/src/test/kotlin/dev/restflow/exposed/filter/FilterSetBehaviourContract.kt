package dev.restflow.exposed.filter

import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.datetime.LocalDateTimeColumnType
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.greaterEq
import org.jetbrains.exposed.v1.core.less
import org.jetbrains.exposed.v1.core.statements.StatementInterceptor
import org.jetbrains.exposed.v1.core.statements.StatementContext
import org.jetbrains.exposed.v1.core.statements.api.PreparedStatementApi
import org.jetbrains.exposed.v1.core.Transaction
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs

/** kotlinx `LocalDateTime` column for tests (the concrete column functions live in exposed-kotlin-datetime). */
internal class KxLocalDateTimeColumnType : LocalDateTimeColumnType<kotlinx.datetime.LocalDateTime>() {
    override fun toLocalDateTime(value: kotlinx.datetime.LocalDateTime): kotlinx.datetime.LocalDateTime = value
    override fun fromLocalDateTime(value: kotlinx.datetime.LocalDateTime): kotlinx.datetime.LocalDateTime = value
}

enum class Colour { RED, GREEN }

object Goods : Table("goods") {
    val id = integer("id")
    val name = varchar("name", 50)
    val price = integer("price")
    val active = bool("active").nullable()
    val colour = enumerationByName("colour", 10, Colour::class)
    val created = registerColumn("created", KxLocalDateTimeColumnType())
    val day = registerColumn("day", KxLocalDateColumnType()).nullable()
    override val primaryKey = PrimaryKey(id)
}

private fun dt(s: String) = kotlinx.datetime.LocalDateTime.parse(s)

/**
 * The behaviour of filter sets on a real database: every lookup category and its negation, parsing rules, groups,
 * ordering, strict mode, limits and bound parameters. Subclasses run it on H2 and on PostgreSQL.
 */
abstract class FilterSetBehaviourContract {
    protected abstract val db: Database

    @BeforeTest
    fun createRows() {
        transaction(db) {
            SchemaUtils.drop(Goods)
            SchemaUtils.create(Goods)
            // 2024-01-07 is a Sunday (ISO week 1), 2024-03-13 a Wednesday (week 11), 2024-12-28 a Saturday (week 52).
            row(1, "Desk", 100, true, Colour.RED, "2024-01-07T08:15:30", "2024-01-07")
            row(2, "desk lamp", 20, false, Colour.GREEN, "2024-03-13T13:45:10", "2024-03-13")
            row(3, "Chair", 55, null, Colour.RED, "2024-12-28T23:59:59", null)
            row(4, "Lamp 100%", 20, true, Colour.GREEN, "2023-06-15T00:00:00", "2023-06-15")
        }
    }

    private fun row(i: Int, n: String, p: Int, a: Boolean?, c: Colour, created: String, day: String?) {
        Goods.insert {
            it[id] = i; it[name] = n; it[price] = p; it[active] = a; it[colour] = c
            it[Goods.created] = dt(created)
            it[Goods.day] = day?.let(kotlinx.datetime.LocalDate::parse)
        }
    }

    private val goods = filterSet(Goods) {
        field(Goods.id) { basic() }
        field(Goods.name) { basic(); text() }
        field(Goods.price) { basic(); comparison(); range() }
        field(Goods.active) { basic() }
        field(Goods.colour) { basic() }
        field(Goods.created) { comparison(); dateParts(); timeParts() }
        field(Goods.day) { basic(); dateParts() }
        ordering {
            key("price", Goods.price)
            key("name", Goods.name)
            key("newest", Goods.created, descending = true)
        }
    }

    protected fun ids(set: FilterSet, vararg params: Pair<String, String>): List<Int> = transaction(db) {
        set.apply(Goods.selectAll(), params.groupBy({ it.first }, { it.second })).map { it[Goods.id] }
    }

    protected fun sorted(set: FilterSet, vararg params: Pair<String, String>): List<Int> = ids(set, *params).sorted()

    protected fun errors(set: FilterSet, vararg params: Pair<String, String>): Map<String, List<String>> {
        val result = set.parse(params.groupBy({ it.first }, { it.second }))
        assertIs<FilterResult.Invalid>(result, "expected invalid: ${params.toList()}")
        return result.errors
    }

    @Test
    fun `basic lookups and their negation`() {
        assertEquals(listOf(2), sorted(goods, "name" to "desk lamp"))
        assertEquals(listOf(2), sorted(goods, "name__exact" to "desk lamp"))
        assertEquals(listOf(1, 3, 4), sorted(goods, "name!" to "desk lamp"))
        assertEquals(listOf(1, 3), sorted(goods, "id__in" to "1,3"))
        assertEquals(listOf(2, 4), sorted(goods, "id__in!" to "1,3"))
        assertEquals(listOf(3), sorted(goods, "active__isnull" to "true"))
        assertEquals(listOf(1, 2, 4), sorted(goods, "active__isnull!" to "true"))
        assertEquals(listOf(1, 2, 4), sorted(goods, "active__isnull" to "false"))
    }

    @Test
    fun `negating a nullable column keeps NULL rows as exclude() does`() {
        assertEquals(listOf(2, 3), sorted(goods, "active!" to "true"))
    }

    @Test
    fun `text lookups and their negation`() {
        assertEquals(listOf(1, 2), sorted(goods, "name__icontains" to "DESK"))
        assertEquals(listOf(3, 4), sorted(goods, "name__icontains!" to "DESK"))
        assertEquals(listOf(2), sorted(goods, "name__contains" to "desk"))
        assertEquals(listOf(1, 3, 4), sorted(goods, "name__contains!" to "desk"))
        assertEquals(listOf(1), sorted(goods, "name__startswith" to "De"))
        assertEquals(listOf(2, 3, 4), sorted(goods, "name__startswith!" to "De"))
        assertEquals(listOf(1, 2), sorted(goods, "name__istartswith" to "de"))
        assertEquals(listOf(2), sorted(goods, "name__endswith" to "lamp"))
        assertEquals(listOf(1, 3, 4), sorted(goods, "name__endswith!" to "lamp"))
        assertEquals(listOf(2), sorted(goods, "name__iendswith" to "LAMP"))
        assertEquals(listOf(1), sorted(goods, "name__iexact" to "DESK"))
        assertEquals(listOf(2, 3, 4), sorted(goods, "name__iexact!" to "DESK"))
        assertEquals(listOf(4), sorted(goods, "name__contains" to "100%"))
        assertEquals(emptyList(), sorted(goods, "name__contains" to "_"))
    }

    @Test
    fun `comparison and range lookups and their negation`() {
        assertEquals(listOf(1), sorted(goods, "price__gt" to "55"))
        assertEquals(listOf(2, 3, 4), sorted(goods, "price__gt!" to "55"))
        assertEquals(listOf(1, 3), sorted(goods, "price__gte" to "55"))
        assertEquals(listOf(2, 4), sorted(goods, "price__lt" to "55"))
        assertEquals(listOf(2, 3, 4), sorted(goods, "price__lte" to "55"))
        assertEquals(listOf(1), sorted(goods, "price__lte!" to "55"))
        assertEquals(listOf(2, 3, 4), sorted(goods, "price__range" to "20,55"))
        assertEquals(listOf(1), sorted(goods, "price__range!" to "20,55"))
        assertEquals(listOf(1, 2, 3), sorted(goods, "created__gte" to "2024-01-07T08:15:30"))
        assertEquals(listOf(4), sorted(goods, "created__gte!" to "2024-01-07T08:15:30"))
        assertEquals(mapOf("price__range" to listOf("Ensure this field has exactly 2 elements.")), errors(goods, "price__range" to "1"))
    }

    @Test
    fun `date part lookups take integers, with Django's week_day numbering`() {
        assertEquals(listOf(1, 2, 3), sorted(goods, "created__year" to "2024"))
        assertEquals(listOf(4), sorted(goods, "created__year!" to "2024"))
        assertEquals(listOf(2), sorted(goods, "created__month" to "3"))
        assertEquals(listOf(3), sorted(goods, "created__day" to "28"))
        assertEquals(listOf(1), sorted(goods, "created__week" to "1"))
        assertEquals(listOf(2), sorted(goods, "created__week" to "11"))
        assertEquals(listOf(3), sorted(goods, "created__week" to "52"))
        assertEquals(listOf(1), sorted(goods, "created__week_day" to "1"), "Sunday is 1")
        assertEquals(listOf(2), sorted(goods, "created__week_day" to "4"), "Wednesday is 4")
        assertEquals(listOf(3), sorted(goods, "created__week_day" to "7"), "Saturday is 7")
        assertEquals(listOf(4), sorted(goods, "created__week_day" to "5"), "Thursday is 5")
        assertEquals(listOf(1, 2, 4), sorted(goods, "created__week_day!" to "7"))
        assertEquals(listOf(1, 2), sorted(goods, "created__quarter" to "1"))
        assertEquals(listOf(4), sorted(goods, "created__quarter" to "2"))
        assertEquals(listOf(2), sorted(goods, "created__date" to "2024-03-13"))
        assertEquals(listOf(1, 3, 4), sorted(goods, "created__date!" to "2024-03-13"))
        assertEquals(listOf(1), sorted(goods, "day__week_day" to "1"))
        assertEquals(listOf(1, 2), sorted(goods, "day__year" to "2024"))
        assertEquals(listOf(1), sorted(goods, "day" to "2024-01-07"))
    }

    @Test
    fun `time part lookups and their negation`() {
        assertEquals(listOf(2), sorted(goods, "created__hour" to "13"))
        assertEquals(listOf(1, 3, 4), sorted(goods, "created__hour!" to "13"))
        assertEquals(listOf(1), sorted(goods, "created__minute" to "15"))
        assertEquals(listOf(3), sorted(goods, "created__second" to "59"))
        assertEquals(listOf(1), sorted(goods, "created__time" to "08:15:30"))
        assertEquals(listOf(2, 3, 4), sorted(goods, "created__time!" to "08:15:30"))
    }

    @Test
    fun `bad values answer drf-restflow messages keyed by parameter`() {
        assertEquals(listOf("A valid integer is required."), errors(goods, "price__gte" to "abc")["price__gte"])
        assertEquals(listOf("A valid integer is required."), errors(goods, "created__year" to "x")["created__year"])
        assertEquals(listOf("Must be a valid boolean."), errors(goods, "active" to "maybe")["active"])
        assertEquals(listOf("\"BLUE\" is not a valid choice."), errors(goods, "colour" to "BLUE")["colour"])
        assertEquals(1, errors(goods, "created__date" to "2024-13-01").size)
        assertEquals(1, errors(goods, "created__time" to "25:00").size)
        assertEquals(1, errors(goods, "created__gte" to "yesterday").size)
    }

    @Test
    fun `enum choices filter by name`() {
        assertEquals(listOf(1, 3), sorted(goods, "colour" to "RED"))
        assertEquals(listOf(2, 4), sorted(goods, "colour!" to "RED"))
        assertEquals(listOf(1, 2, 3, 4), sorted(goods, "colour__in" to "RED,GREEN"))
    }

    @Test
    fun `booleans accept the usual spellings in any case`() {
        for (t in listOf("true", "TRUE", "1", "t", "T", "on", "On", "yes", "YES")) {
            assertEquals(listOf(1, 4), sorted(goods, "active" to t), t)
        }
        for (f in listOf("false", "False", "0", "f", "F", "off", "OFF", "no", "No")) {
            assertEquals(listOf(2), sorted(goods, "active" to f), f)
        }
    }

    @Test
    fun `empty value applies no filter and a repeated scalar takes the last value`() {
        assertEquals(listOf(1, 2, 3, 4), sorted(goods, "price" to ""))
        assertEquals(listOf(1, 2, 3, 4), sorted(goods, "price" to "  "))
        assertEquals(listOf(3), sorted(goods, "price" to "20", "price" to "55"))
    }

    @Test
    fun `list values merge commas and repeats, trimmed, empty pieces dropped, with a custom delimiter`() {
        assertEquals(listOf(1, 2, 3), sorted(goods, "id__in" to " 1 , ,2", "id__in" to "3,"))
        assertEquals(listOf(1, 2, 3, 4), sorted(goods, "id__in" to ",, ,"))
        val piped = filterSet(Goods) {
            listDelimiter = '|'
            field(Goods.id) { basic() }
        }
        assertEquals(listOf(1, 4), sorted(piped, "id__in" to "1|4"))
        assertEquals(listOf("A valid integer is required."), errors(piped, "id__in" to "1,4")["id__in"])
    }

    @Test
    fun `aliases and separators per set and per field`() {
        val set = filterSet(Goods) {
            separator = "."
            field(Goods.price) {
                lookup(Lookup.LTE, alias = "max")
                lookup(Lookup.GTE, alias = "min")
                separator("_")
            }
            field(Goods.name) { lookup(Lookup.ICONTAINS) }
        }
        assertEquals(listOf(2, 4), sorted(set, "price_max" to "20"))
        assertEquals(listOf(1, 3), sorted(set, "price_max!" to "20"))
        assertEquals(listOf(1, 3), sorted(set, "price_min" to "55"))
        assertEquals(listOf(1, 2), sorted(set, "name.icontains" to "desk"))
        assertEquals(listOf(1, 2, 3, 4), sorted(set, "name__icontains" to "desk"), "default separator unknown here")
    }

    @Test
    fun `allowNegate false turns the twins off, per set or per field`() {
        val none = filterSet(Goods) {
            allowNegate = false
            field(Goods.price) { basic() }
            field(Goods.name) { basic(); allowNegate(true) }
        }
        assertFalse(none.parameters.any { it.name == "price!" })
        assertEquals(listOf(1, 2, 3, 4), sorted(none, "price!" to "20"))
        assertEquals(listOf(1, 3, 4), sorted(none, "name!" to "desk lamp"))
    }

    @Test
    fun `method filters and their negation, and custom filterBy`() {
        val set = filterSet(Goods) {
            method("cheap", FilterType.BOOLEAN) { v -> if (v) Goods.price less 50 else Goods.price greaterEq 50 }
            method("q") { v -> Goods.name eq v }
            field(Goods.price) { filterBy { v -> Goods.price greaterEq v } }
        }
        assertEquals(listOf(2, 4), sorted(set, "cheap" to "yes"))
        assertEquals(listOf(1, 3), sorted(set, "cheap!" to "yes"))
        assertEquals(listOf(3), sorted(set, "q" to "Chair"))
        assertEquals(listOf(1, 2, 4), sorted(set, "q!" to "Chair"))
        assertEquals(listOf(1, 3), sorted(set, "price" to "55"))
        assertEquals(listOf(2, 4), sorted(set, "price!" to "55"))
        assertEquals(listOf("Must be a valid boolean."), errors(set, "cheap" to "x")["cheap"])
    }

    @Test
    fun `AND, OR, XOR and explicit groups`() {
        fun set(op: FilterOperator) = filterSet(Goods) {
            operator = op
            field(Goods.price) { basic() }
            field(Goods.name) { basic() }
        }
        assertEquals(listOf(2), sorted(set(FilterOperator.AND), "price" to "20", "name" to "desk lamp"))
        assertEquals(listOf(2, 3), sorted(set(FilterOperator.OR), "price" to "55", "name" to "desk lamp"))
        assertEquals(listOf(4), sorted(set(FilterOperator.XOR), "price" to "20", "name" to "desk lamp"))
        val grouped = filterSet(Goods) {
            field(Goods.colour) { basic() }
            anyOf {
                field(Goods.price) { basic() }
                field(Goods.name) { basic() }
            }
        }
        assertEquals(listOf(3, 1).sorted(), sorted(grouped, "colour" to "RED", "price" to "55", "name" to "Desk"))
        assertEquals(listOf(1), sorted(grouped, "colour" to "RED", "price" to "100", "name" to "nothing"))
    }

    @Test
    fun `ordering applies keys in the given order with direction and a pk tie-breaker`() {
        assertEquals(listOf(2, 4, 3, 1), ids(goods, "order_by" to "price"))
        assertEquals(listOf(1, 3, 2, 4), ids(goods, "order_by" to "-price"))
        assertEquals(listOf(4, 2, 3, 1), ids(goods, "order_by" to "price,-newest"))
        assertEquals(listOf(2, 4, 3, 1), ids(goods, "order_by" to "price,newest"))
        assertEquals(listOf(4, 2, 3, 1), ids(goods, "order_by" to "price", "order_by" to "-newest"))
        assertEquals(listOf(3, 2, 1, 4), ids(goods, "order_by" to "newest,price"))
        assertEquals(listOf(2, 4, 3, 1), ids(goods, "order_by" to "price"), "ties on price broken by the primary key")
        assertEquals(listOf(3, 2, 1, 4), ids(goods, "order_by" to "newest"))
        assertEquals(listOf(4, 1, 2, 3), ids(goods, "order_by" to "-newest"))
        assertEquals(
            mapOf("order_by" to listOf("\"bogus\" is not a valid choice.")),
            errors(goods, "order_by" to "price,bogus"),
        )
    }

    @Test
    fun `ordering replaces an orderBy already on the query`() {
        val got = transaction(db) {
            goods.apply(Goods.selectAll().orderBy(Goods.name to SortOrder.DESC), mapOf("order_by" to listOf("-price")))
                .map { it[Goods.id] }
        }
        assertEquals(listOf(1, 3, 2, 4), got)
    }

    @Test
    fun `strict mode refuses unknown parameters but knows pagination, ordering and format`() {
        val strict = filterSet(Goods) {
            strict = true
            field(Goods.price) { basic() }
            ordering { key("price", Goods.price) }
        }
        assertEquals(mapOf("colour" to listOf("Unknown query parameter.")), errors(strict, "colour" to "red", "page" to "2"))
        val ok = listOf("page", "page_size", "limit", "offset", "cursor", "format").map { it to "1" } + ("order_by" to "price")
        assertIs<FilterResult.Valid>(strict.parse(ok.groupBy({ it.first }, { it.second })))
    }

    @Test
    fun `fromTable derives typed fields that reject bad input`() {
        val derived = filterSet(Goods) { fromTable(exclude = listOf(Goods.day)) }
        assertEquals(listOf(3), sorted(derived, "id" to "3"))
        assertEquals(listOf("A valid integer is required."), errors(derived, "id" to "abc")["id"])
        assertFalse(derived.parameters.any { it.name.startsWith("day") })
        assertEquals(listOf(1, 3), sorted(derived, "colour" to "RED"))
    }

    @Test
    fun `every limit answers its message`() {
        val limited = filterSet(Goods) {
            limits = FilterLimits(maxParams = 2, maxListValues = 3, maxValueLength = 7)
            field(Goods.id) { basic() }
            field(Goods.name) { basic() }
            field(Goods.price) { basic() }
        }
        assertEquals(
            mapOf("non_field_errors" to listOf("Too many query parameters: at most 2 are allowed.")),
            errors(limited, "id" to "1", "name" to "x", "price" to "1"),
        )
        assertEquals(listOf("Ensure this field has no more than 3 elements."), errors(limited, "id__in" to "1,2,3,4")["id__in"])
        assertEquals(
            listOf("Ensure this field has no more than 3 elements."),
            errors(limited, "id__in" to "1", "id__in" to "2", "id__in" to "3", "id__in" to "4")["id__in"],
        )
        assertEquals(listOf("Ensure this field has no more than 7 characters."), errors(limited, "name" to "abcdefgh")["name"])
        assertEquals(listOf(1, 2, 3), sorted(limited, "id__in" to "1,2,3"))
    }

    @Test
    fun `user values only ever reach SQL as bound parameters`() {
        val seen = ArrayList<String>()
        val spy = object : StatementInterceptor {
            override fun beforeExecution(transaction: Transaction, context: StatementContext) {
                seen += context.sql(transaction)
            }
        }
        val evil = "x' OR '1'='1"
        val got = transaction(db) {
            registerInterceptor(spy)
            goods.apply(
                Goods.selectAll(),
                mapOf("name__icontains" to listOf(evil), "name!" to listOf("zz'--"), "created__year" to listOf("2024")),
            ).map { it[Goods.id] }
        }
        assertEquals(emptyList(), got)
        assertEquals(1, seen.size)
        assertFalse(seen.single().contains("OR '1'"), seen.single())
        assertFalse(seen.single().contains("zz"), seen.single())
        assertFalse(seen.single().contains("2024"), seen.single())
    }
}

class H2FilterSetBehaviourTest : FilterSetBehaviourContract() {
    override val db: Database =
        Database.connect("jdbc:h2:mem:filter-behaviour-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
}

class PostgresFilterSetBehaviourTest : FilterSetBehaviourContract() {
    override val db: Database = shared

    private companion object {
        val shared: Database by lazy {
            val pg = TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
