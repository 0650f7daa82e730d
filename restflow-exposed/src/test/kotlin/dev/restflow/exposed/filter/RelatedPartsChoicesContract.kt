package dev.restflow.exposed.filter

import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.core.ReferenceOption
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.eq
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
import kotlin.test.assertIs
import kotlin.test.assertTrue

enum class Stage { DRAFT, LIVE, RETIRED }

object Shelves : IntIdTable("rpc_shelves") {
    val slug = varchar("slug", 20)
    val parent = reference("parent_id", Shelves, onDelete = ReferenceOption.CASCADE).nullable()
}

object Books : Table("rpc_books") {
    val id = integer("id")
    val title = varchar("title", 50)
    val shelf = reference("shelf_id", Shelves).nullable()
    val stage = customEnumeration("stage", "VARCHAR(10)", { Stage.valueOf(it as String) }, { it.name })
    val kind = varchar("kind", 10)
    val published = registerColumn("published", KxLocalDateTimeColumnType())
    override val primaryKey = PrimaryKey(id)
}

/** The shelves (home ← office, garden; attic) and four books the filter tests read; also used from Java. */
object BookRows {
    /** A new in-memory H2 database holding the rows (Exposed's `connect` has no Java-friendly overloads). */
    @JvmStatic
    fun h2(): Database =
        Database.connect("jdbc:h2:mem:books-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also(::create)

    /** Recreates both tables in [db] with the fixed rows. */
    @JvmStatic
    fun create(db: Database) {
        transaction(db) {
            SchemaUtils.drop(Books, Shelves)
            SchemaUtils.create(Shelves, Books)
            val home = Shelves.insert { it[slug] = "home" }[Shelves.id]
            val office = Shelves.insert { it[slug] = "office"; it[parent] = home }[Shelves.id]
            val garden = Shelves.insert { it[slug] = "garden"; it[parent] = home }[Shelves.id]
            Shelves.insert { it[slug] = "attic" }
            book(1, "Dune", office, Stage.LIVE, "novel", "2019-02-10T09:30:00")
            book(2, "Emma", garden, Stage.DRAFT, "novel", "2021-07-01T18:05:00")
            book(3, "Atlas", office, Stage.RETIRED, "reference", "2023-11-20T12:00:00")
            book(4, "Loose", null, Stage.LIVE, "leaflet", "2024-04-02T07:45:00")
        }
    }

    private fun book(i: Int, t: String, s: EntityID<Int>?, st: Stage, k: String, p: String) {
        Books.insert {
            it[id] = i; it[title] = t; it[shelf] = s; it[stage] = st; it[kind] = k
            it[published] = kotlinx.datetime.LocalDateTime.parse(p)
        }
    }
}

/**
 * Related fields (through one and two foreign keys, nullable ones included), date/time parts followed by a lookup
 * (`published__year__gte`), and declared choices (`customEnumeration`, text). Runs on H2 and PostgreSQL.
 */
abstract class RelatedPartsChoicesContract {
    protected abstract val db: Database

    @BeforeTest
    fun rows() {
        BookRows.create(db)
    }

    private val books = filterSet(Books) {
        field(Books.id) { basic() }
        field(Books.stage) { basic(); choices(Stage.entries) }
        field(Books.kind) { basic(); choices(listOf("novel", "reference", "leaflet")) }
        field(Books.published) {
            dateParts(Lookup.GTE, Lookup.LT, Lookup.IN, Lookup.RANGE)
            timeParts(Lookup.LT)
            lookup(Lookup.YEAR, Lookup.GTE, alias = "since")
        }
        related(Books.shelf) {
            field(Shelves.slug) { basic(); text() }
            related(Shelves.parent) { field(Shelves.slug) { basic() } }
        }
    }

    private fun ids(set: FilterSet, vararg params: Pair<String, String>): List<Int> = transaction(db) {
        set.apply(Books.selectAll(), params.groupBy({ it.first }, { it.second })).map { it[Books.id] }.sorted()
    }

    private fun errors(set: FilterSet, vararg params: Pair<String, String>): Map<String, List<String>> {
        val result = set.parse(params.groupBy({ it.first }, { it.second }))
        assertIs<FilterResult.Invalid>(result, "expected invalid: ${params.toList()}")
        return result.errors
    }

    @Test
    fun `a part followed by a lookup compares the part, with its negation`() {
        assertEquals(listOf(2, 3, 4), ids(books, "published__year__gte" to "2021"))
        assertEquals(listOf(1), ids(books, "published__year__gte!" to "2021"))
        assertEquals(listOf(1, 2), ids(books, "published__year__lt" to "2022"))
        assertEquals(listOf(2, 4), ids(books, "published__month__in" to "4,7"))
        assertEquals(listOf(1, 3), ids(books, "published__month__in!" to "4,7"))
        assertEquals(listOf(2, 3), ids(books, "published__year__range" to "2020,2023"))
        assertEquals(listOf(3, 4), ids(books, "published__date__gte" to "2023-11-20"))
        assertEquals(listOf(1, 4), ids(books, "published__hour__lt" to "12"))
        assertEquals(listOf(3, 4), ids(books, "published__quarter__gte" to "2", "published__year__gte" to "2022"))
        assertEquals(listOf(3, 4), ids(books, "published__since" to "2022"), "an alias replaces the whole suffix")
        assertEquals(listOf(2), ids(books, "published__year" to "2021"), "the part alone still means equality")
    }

    @Test
    fun `bad part values answer keyed messages and a part needs a comparable follow-up`() {
        assertEquals(listOf("A valid integer is required."), errors(books, "published__year__gte" to "soon")["published__year__gte"])
        assertEquals(listOf("Ensure this field has exactly 2 elements."), errors(books, "published__year__range" to "2020")["published__year__range"])
        assertEquals(1, errors(books, "published__date__gte" to "2023-02-30").size)
        val notPart = assertFailsWith<IllegalArgumentException> {
            filterSet(Books) { field(Books.title) { lookup(Lookup.EXACT, Lookup.GTE) } }
        }
        assertTrue("not a date or time part" in notPart.message!!, notPart.message)
        val badThen = assertFailsWith<IllegalArgumentException> {
            filterSet(Books) { field(Books.published) { lookup(Lookup.YEAR, Lookup.ISNULL) } }
        }
        assertTrue("cannot follow 'year'" in badThen.message!!, badThen.message)
    }

    @Test
    fun `parts followed by lookups describe themselves`() {
        val p = books.parameters.single { it.name == "published__year__gte" }
        assertEquals("integer", p.type)
        assertEquals("published year is greater than or equal to", p.description)
        assertEquals("year__gte", p.lookup)
        val twin = books.parameters.single { it.name == "published__month__in!" }
        assertEquals("array", twin.type)
        assertEquals("integer", twin.itemType)
        assertEquals("exclude where published month is one of", twin.description)
        assertEquals("date", books.parameters.single { it.name == "published__date__gte" }.format)
    }

    @Test
    fun `customEnumeration and text fields filter by declared choices`() {
        assertEquals(listOf(1, 4), ids(books, "stage" to "LIVE"))
        assertEquals(listOf(2, 3), ids(books, "stage!" to "LIVE"))
        assertEquals(listOf(2, 3), ids(books, "stage__in" to "DRAFT,RETIRED"))
        assertEquals(listOf(3), ids(books, "kind" to "reference"))
        assertEquals(listOf("\"live\" is not a valid choice."), errors(books, "stage" to "live")["stage"])
        assertEquals(listOf("\"poem\" is not a valid choice."), errors(books, "kind__in" to "novel,poem")["kind__in"])
        assertEquals(listOf("DRAFT", "LIVE", "RETIRED"), books.parameters.single { it.name == "stage" }.enumValues)
        assertEquals(listOf("DRAFT", "LIVE", "RETIRED"), books.parameters.single { it.name == "stage__in" }.enumValues)
    }

    @Test
    fun `a customEnumeration without choices fails when the set is built`() {
        val e = assertFailsWith<IllegalArgumentException> { filterSet(Books) { field(Books.stage) } }
        assertTrue("choices(MyEnum.entries)" in e.message!!, e.message)
        // fromTable skips it rather than failing: an explicit field can add it.
        val derived = filterSet(Books) { fromTable() }
        assertTrue(derived.parameters.none { it.field == "stage" })
        assertTrue(derived.parameters.any { it.name == "kind__icontains" })
    }

    @Test
    fun `related fields filter through one and two foreign keys`() {
        assertEquals(listOf(1, 3), ids(books, "shelf__slug" to "office"))
        assertEquals(listOf(1, 2, 3), ids(books, "shelf__slug__in" to "office,garden"))
        assertEquals(listOf(1, 3), ids(books, "shelf__slug__icontains" to "OFF"))
        assertEquals(listOf(1, 2, 3), ids(books, "shelf__parent__slug" to "home"))
        assertEquals(emptyList(), ids(books, "shelf__parent__slug" to "attic"))
        assertEquals(listOf(1, 3), ids(books, "shelf__slug" to "office", "kind__in" to "novel,reference"))
    }

    @Test
    fun `negating a related field keeps rows whose foreign key is null, as exclude() does`() {
        assertEquals(listOf(2, 4), ids(books, "shelf__slug!" to "office"))
        assertEquals(listOf(4), ids(books, "shelf__parent__slug!" to "home"))
    }

    @Test
    fun `related fields return each row once and validate by the related column`() {
        val rows = transaction(db) {
            books.apply(Books.selectAll(), mapOf("shelf__parent__slug" to listOf("home"))).map { it[Books.id] }
        }
        assertEquals(rows.distinct(), rows)
        val numeric = filterSet(Books) { related(Books.shelf) { field(Shelves.id, "pk") { comparison() } } }
        assertEquals(listOf("A valid integer is required."), errors(numeric, "shelf__pk__gt" to "one")["shelf__pk__gt"])
        val officeId = transaction(db) { Shelves.selectAll().where { Shelves.slug eq "office" }.single()[Shelves.id].value }
        assertEquals(listOf(1, 3), ids(numeric, "shelf__pk" to "$officeId"))
        assertFailsWith<IllegalArgumentException> { filterSet(Books) { related(Books.title) { } } }
        assertFailsWith<IllegalArgumentException> {
            filterSet(Books) { related(Books.shelf) { field(Books.title) } }
        }
    }

    @Test
    fun `fromTable inside related derives typed fields of the related table`() {
        val set = filterSet(Books) { related(Books.shelf) { fromTable() } }
        assertTrue(set.parameters.any { it.name == "shelf__slug__icontains" })
        assertEquals(listOf(2), ids(set, "shelf__slug__iexact" to "GARDEN"))
        assertEquals(listOf("A valid integer is required."), errors(set, "shelf__id__gte" to "x")["shelf__id__gte"])
    }
}

class H2RelatedPartsChoicesTest : RelatedPartsChoicesContract() {
    override val db: Database =
        Database.connect("jdbc:h2:mem:filter-related-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
}

class PostgresRelatedPartsChoicesTest : RelatedPartsChoicesContract() {
    override val db: Database = shared

    private companion object {
        val shared: Database by lazy {
            val pg = TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
