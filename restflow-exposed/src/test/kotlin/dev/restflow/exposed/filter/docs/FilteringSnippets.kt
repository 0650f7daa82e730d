package dev.restflow.exposed.filter.docs

import dev.restflow.exposed.filter.FilterLimits
import dev.restflow.exposed.filter.FilterOperator
import dev.restflow.exposed.filter.FilterResult
import dev.restflow.exposed.filter.FilterSet
import dev.restflow.exposed.filter.FilterType
import dev.restflow.exposed.filter.FilterValidationException
import dev.restflow.exposed.filter.KxLocalDateTimeColumnType
import dev.restflow.exposed.filter.Lookup
import dev.restflow.exposed.filter.Nulls
import dev.restflow.exposed.filter.comparison
import dev.restflow.exposed.filter.dateParts
import dev.restflow.exposed.filter.enumOf
import dev.restflow.exposed.filter.filterSet
import dev.restflow.exposed.filter.postgres
import dev.restflow.exposed.filter.range
import dev.restflow.exposed.filter.text
import dev.restflow.exposed.filter.timeParts
import org.jetbrains.exposed.v1.core.LikePattern
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.greater
import org.jetbrains.exposed.v1.core.like
import org.jetbrains.exposed.v1.core.lowerCase
import org.jetbrains.exposed.v1.core.or
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.andWhere
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.math.BigDecimal
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertTrue

enum class Colour { RED, GREEN, BLUE }

object Categories : IntIdTable("doc_categories") {
    val slug = varchar("slug", 50)
}

object Products : IntIdTable("doc_products") {
    val name = varchar("name", 200)
    val description = text("description")
    val price = decimal("price", 10, 2)
    val stock = integer("stock")
    val colour = enumerationByName("colour", 10, Colour::class)
    val category = reference("category_id", Categories).nullable()
    val createdAt = registerColumn("created_at", KxLocalDateTimeColumnType())
}

/** The snippets of docs/filtering.md, each run against H2 with the rows below. */
class FilteringSnippets {
    private val db = Database.connect("jdbc:h2:mem:filtering-docs-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")

    init {
        transaction(db) {
            SchemaUtils.create(Categories, Products)
            val lamps = Categories.insert { it[slug] = "lamps" }[Categories.id]
            val desks = Categories.insert { it[slug] = "desks" }[Categories.id]
            product("Desk lamp", "Brass, 40 W", "19.90", 3, Colour.RED, lamps, "2024-03-01T09:00:00")
            product("Oak desk", "Solid oak", "249.00", 0, Colour.GREEN, desks, "2023-11-15T14:30:00")
            product("Floor lamp 100%", "Tall", "89.50", 7, Colour.BLUE, lamps, "2024-06-20T18:45:00")
            product("Gift card", "Any amount", "25.00", 99, Colour.RED, null, "2022-01-10T08:00:00")
        }
    }

    private fun product(n: String, d: String, p: String, s: Int, c: Colour, cat: org.jetbrains.exposed.v1.core.dao.id.EntityID<Int>?, at: String) {
        Products.insert {
            it[name] = n; it[description] = d; it[price] = BigDecimal(p); it[stock] = s; it[colour] = c
            it[category] = cat; it[createdAt] = kotlinx.datetime.LocalDateTime.parse(at)
        }
    }

    private fun names(set: FilterSet, query: String): List<String> = transaction(db) {
        val params = query.split('&').filter { it.isNotEmpty() }
            .map { it.substringBefore('=') to java.net.URLDecoder.decode(it.substringAfter('='), Charsets.UTF_8) }
            .groupBy({ it.first }, { it.second })
        set.apply(Products.selectAll(), params).map { it[Products.name] }
    }

    // region filter-set
    val productFilter = filterSet<Products> {
        field(Products.name) { text() }
        field(Products.price) { comparison(); range() }
        field(Products.colour) { basic() }
        ordering("order_by") {
            key("price", Products.price)
            key("newest", Products.createdAt, descending = true)
            key("name", Products.name, nulls = Nulls.LAST)
        }
    }
    // endregion

    @Test
    fun `the filter set of the first example`() {
        assertEquals(listOf("Floor lamp 100%", "Desk lamp"), names(productFilter, "name__icontains=LAMP&order_by=-price"))
        assertEquals(listOf("Oak desk", "Floor lamp 100%"), names(productFilter, "price__range=50,300&order_by=newest").reversed())
        assertEquals(listOf("Desk lamp", "Gift card"), names(productFilter, "colour=RED&order_by=price"))
        assertEquals(listOf("Floor lamp 100%", "Oak desk"), names(productFilter, "colour!=RED&order_by=price"))
        assertEquals(listOf("Floor lamp 100%"), names(productFilter, "name__contains=100%25"), "% matches literally")
    }

    @Test
    fun `lookups, aliases and separators`() {
        // region lookups
        val set = filterSet(Products) {
            field(Products.name) { basic(); lookups(Lookup.ICONTAINS, Lookup.ISTARTSWITH) }
            field(Products.price) {
                lookup(Lookup.GTE, alias = "min", help = "costs at least")
                lookup(Lookup.LTE, alias = "max", help = "costs at most")
                separator("_") // price_min, price_max
            }
            field(Products.stock, name = "qty") { comparison() } // qty__gt, qty__lte…
        }
        // endregion
        assertEquals(listOf("Floor lamp 100%", "Gift card"), names(set, "price_min=20&price_max=90&order_by=x").sorted())
        assertEquals(listOf("Floor lamp 100%"), names(set, "name__istartswith=floor"))
        assertEquals(listOf("Desk lamp", "Floor lamp 100%", "Gift card").sorted(), names(set, "qty__gt=0").sorted())
        assertEquals("price costs at least", set.parameters.single { it.name == "price_min" }.description)
    }

    @Test
    fun `date and time parts, alone or followed by a lookup`() {
        // region parts
        val set = filterSet(Products) {
            field(Products.createdAt, name = "created_at") {
                comparison()
                dateParts(Lookup.GTE, Lookup.LT, Lookup.IN) // created_at__year, created_at__year__gte, …
                timeParts(Lookup.LT)                        // created_at__hour, created_at__hour__lt, …
                lookup(Lookup.YEAR, Lookup.GTE, alias = "since")  // created_at__since=2024
            }
        }
        // endregion
        assertEquals(listOf("Desk lamp", "Floor lamp 100%"), names(set, "created_at__year=2024").sorted())
        assertEquals(listOf("Desk lamp", "Floor lamp 100%", "Oak desk"), names(set, "created_at__year__gte=2023").sorted())
        assertEquals(listOf("Gift card", "Oak desk"), names(set, "created_at__month__in=1,11").sorted())
        assertEquals(listOf("Desk lamp", "Gift card"), names(set, "created_at__hour__lt=12").sorted())
        assertEquals(listOf("Desk lamp", "Floor lamp 100%"), names(set, "created_at__since=2024").sorted())
        assertEquals(listOf("Desk lamp"), names(set, "created_at__date=2024-03-01&created_at__week_day=6"))
    }

    @Test
    fun `choices narrow a field to declared values`() {
        // region choices
        val set = filterSet(Products) {
            field(Products.colour) { basic(); choices(listOf(Colour.RED, Colour.GREEN)) } // BLUE is not offered
            field(Products.name) { choices(listOf("Oak desk", "Gift card")) }
        }
        // endregion
        assertEquals(listOf("Desk lamp", "Gift card"), names(set, "colour=RED").sorted())
        val invalid = assertIs<FilterResult.Invalid>(set.parse(mapOf("colour" to listOf("BLUE"))))
        assertEquals(mapOf("colour" to listOf("\"BLUE\" is not a valid choice.")), invalid.errors)
        assertEquals(listOf("RED", "GREEN"), set.parameters.single { it.name == "colour__in" }.enumValues)
    }

    @Test
    fun `method filters and filterBy`() {
        // region methods
        val set = filterSet(Products) {
            method("q") { value ->
                val pattern = LikePattern("%" + value.lowercase() + "%")
                (Products.name.lowerCase() like pattern) or (Products.description.lowerCase() like pattern)
            }
            method("min_stock", FilterType.INT, description = "at least this many in stock") { n -> Products.stock greater n - 1 }
            method("paint", FilterType.enumOf<Colour>()) { c -> Products.colour eq c }
            field(Products.stock, name = "available") { filterBy { n -> if (n > 0) Products.stock greater 0 else Products.stock eq 0 } }
        }
        // endregion
        assertEquals(listOf("Oak desk"), names(set, "q=OAK"))
        assertEquals(listOf("Desk lamp", "Floor lamp 100%", "Gift card"), names(set, "q!=oak").sorted())
        assertEquals(listOf("Floor lamp 100%", "Gift card"), names(set, "min_stock=5").sorted())
        assertEquals(listOf("Floor lamp 100%"), names(set, "paint=BLUE"))
        assertEquals(listOf("Oak desk"), names(set, "available=0"))
        val bad = assertIs<FilterResult.Invalid>(set.parse(mapOf("min_stock" to listOf("lots"))))
        assertEquals(mapOf("min_stock" to listOf("A valid integer is required.")), bad.errors)
    }

    @Test
    fun `operators and groups`() {
        // region groups
        val either = filterSet(Products) {
            operator = FilterOperator.OR        // the whole set: AND (default), OR or XOR
            field(Products.stock) { basic() }
            field(Products.name) { basic() }
        }
        val grouped = filterSet(Products) {
            field(Products.colour) { basic() }  // colour AND (cheap OR plenty)
            anyOf {
                field(Products.price) { lookup(Lookup.LT, alias = "under") }
                field(Products.stock) { lookup(Lookup.GTE, alias = "atleast") }
            }
        }
        // endregion
        assertEquals(listOf("Desk lamp", "Oak desk"), names(either, "stock=0&name=Desk%20lamp").sorted())
        assertEquals(listOf("Desk lamp", "Gift card"), names(grouped, "colour=RED&price__under=20&stock__atleast=50").sorted())
        assertEquals(emptyList(), names(grouped, "colour=GREEN&price__under=20&stock__atleast=50"))
    }

    @Test
    fun `ordering in the order given`() {
        // region ordering
        val set = filterSet(Products) {
            ordering("order_by") {
                key("price", Products.price)
                key("colour_then_name", Products.colour, Products.name) // one key, several columns
                key("newest", Products.createdAt, descending = true)
                defaultOrder("-price")
                // the primary key is appended as a tie-breaker; tieBreaker(...) replaces it
            }
        }
        // endregion
        assertEquals(listOf("Oak desk", "Floor lamp 100%", "Gift card", "Desk lamp"), names(set, ""))
        assertEquals(listOf("Floor lamp 100%", "Oak desk", "Desk lamp", "Gift card"), names(set, "order_by=colour_then_name"))
        assertEquals(listOf("Floor lamp 100%", "Desk lamp", "Oak desk", "Gift card"), names(set, "order_by=newest,price"))
        val bad = assertIs<FilterResult.Invalid>(set.parse(mapOf("order_by" to listOf("price,bogus"))))
        assertEquals(mapOf("order_by" to listOf("\"bogus\" is not a valid choice.")), bad.errors)
    }

    @Test
    fun `fields derived from the table and through a foreign key`() {
        // region derived
        val set = filterSet(Products) {
            fromTable(exclude = listOf(Products.description)) // id, name, price, stock, colour, category, created_at
            related(Products.category) {                      // category__slug, category__slug__in, …
                field(Categories.slug) { basic(); text() }
            }
        }
        // endregion
        assertEquals(listOf("Desk lamp", "Floor lamp 100%"), names(set, "category__slug=lamps").sorted())
        assertEquals(listOf("Gift card", "Oak desk"), names(set, "category__slug!=lamps").sorted(), "null category kept")
        assertEquals(listOf("Oak desk"), names(set, "price__gt=100"))
        val bad = assertIs<FilterResult.Invalid>(set.parse(mapOf("id" to listOf("abc"))))
        assertEquals(mapOf("id" to listOf("A valid integer is required.")), bad.errors)
    }

    private fun searchFilter(database: Database): FilterSet {
        // region postgres
        val search = filterSet(Products) {
            textSearchConfig = "english"
            field(Products.description) { postgres() } // description__search, __trigram_similar, __unaccent
        }
        search.verify(database) // at startup: throws IllegalStateException unless the database is PostgreSQL
        // endregion
        return search
    }

    @Test
    fun `postgres lookups fail on another database at startup`() {
        val e = assertFailsWith<IllegalStateException> { searchFilter(db) }
        assertTrue("uses PostgreSQL-only lookups" in e.message!!, e.message)
        val pg = dev.restflow.testing.TestServices.newPostgresDatabase()
        val postgres = Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        transaction(postgres) { SchemaUtils.create(Categories, Products) }
        val search = searchFilter(postgres)
        assertEquals(listOf("description__search", "description__trigram_similar", "description__unaccent"), search.postgresParameters)
        val count = transaction(postgres) {
            Products.insert {
                it[name] = "Lamp"; it[description] = "Lamps shining brightly"; it[price] = BigDecimal.ONE; it[stock] = 1
                it[colour] = Colour.RED; it[createdAt] = kotlinx.datetime.LocalDateTime.parse("2024-01-01T00:00:00")
            }
            search.apply(Products.selectAll(), mapOf("description__search" to listOf("shine"))).count()
        }
        assertEquals(1, count, "english stemming matches shining for shine")
    }

    @Test
    fun `strictness, negation and limits`() {
        // region limits
        val set = filterSet(Products) {
            strict = true                  // unknown parameters answer 400 instead of being ignored
            knownParams("fields", "expand") // known to the endpoint, not filters
            allowNegate = false            // no `name!` twins
            listDelimiter = '|'            // ?id__in=1|2|3
            limits = FilterLimits(maxParams = 10, maxListValues = 100, maxValueLength = 200)
            field(Products.id) { basic() }
        }
        // endregion
        assertEquals(2, names(set, "id__in=1|2&fields=name").size)
        val bad = assertIs<FilterResult.Invalid>(set.parse(mapOf("id!" to listOf("1"), "id__in" to listOf("1|2|x"))))
        assertEquals(mapOf("id!" to listOf("Unknown query parameter."), "id__in" to listOf("A valid integer is required.")), bad.errors)
    }

    @Test
    fun `cross-field validation and query processors`() {
        // region validate
        val set = filterSet(Products) {
            field(Products.price) { comparison() }
            validate { ctx ->
                val low = ctx.value("price__gte") as BigDecimal?
                val high = ctx.value("price__lte") as BigDecimal?
                if (low != null && high != null && low > high) ctx.reject("price__gte", "Must not exceed price__lte.")
            }
            preprocess { query -> query.andWhere { Products.stock greater 0 } } // before the filters
            postprocess { query -> query.limit(100) }                           // after filters and ordering
        }
        // endregion
        assertEquals(listOf("Desk lamp", "Floor lamp 100%", "Gift card"), names(set, "price__lte=100").sorted())
        val bad = assertIs<FilterResult.Invalid>(set.parse(mapOf("price__gte" to listOf("10"), "price__lte" to listOf("5"))))
        assertEquals(mapOf("price__gte" to listOf("Must not exceed price__lte.")), bad.errors)
    }

    @Test
    fun `applying a filter set without Ktor`() {
        // region apply
        val params = mapOf("price__gte" to listOf("20"), "order_by" to listOf("-price"))
        val expensive = transaction(db) {
            productFilter.apply(Products.selectAll(), params).map { it[Products.name] }
        }
        // Or validate first, with no exception and no transaction:
        when (val result = productFilter.parse(mapOf("price__gte" to listOf("cheap")))) {
            is FilterResult.Valid -> transaction(db) { result.applyTo(Products.selectAll()).count() }
            is FilterResult.Invalid -> println(result.errors) // {price__gte=[A valid number is required.]}
        }
        // endregion
        assertEquals(listOf("Oak desk", "Floor lamp 100%", "Gift card"), expensive)
        assertFailsWith<FilterValidationException> { productFilter.apply(Products.selectAll(), mapOf("price__gte" to listOf("cheap"))) }
    }

    @Test
    fun `a filter set describes its parameters`() {
        // region describe
        for (p in productFilter.parameters) {
            println("${p.name}: ${p.type}${p.itemType?.let { " of $it" } ?: ""} — ${p.description}")
        }
        // price__gte: string — price is greater than or equal to
        // price__gte!: string — exclude where price is greater than or equal to
        // price__range: array of string — price is between (inclusive)
        // order_by: array of string — Which field to use when ordering the results.
        // endregion
        val gte = productFilter.parameters.single { it.name == "price__gte!" }
        assertEquals("exclude where price is greater than or equal to", gte.description)
        assertEquals("decimal", gte.format)
        assertTrue(productFilter.parameters.single { it.name == "price__range" }.isArray)
    }
}
