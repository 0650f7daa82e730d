package dev.restflow.exposed.pagination

import dev.restflow.exposed.postfetch.PostFetch
import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.core.ReferenceOption
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.core.Transaction
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.statements.StatementContext
import org.jetbrains.exposed.v1.core.statements.StatementInterceptor
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.deleteAll
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull

object Items : IntIdTable("page_items") {
    val score = integer("score")
}

object Notes : IntIdTable("page_notes") {
    val item = reference("item_id", Items, onDelete = ReferenceOption.CASCADE)
    val rank = integer("rank")
    val text = varchar("text", 20)
}

private const val BASE = "http://shop.test/items"

/** The four paginators and PostFetch, run on H2 and on PostgreSQL. */
abstract class PaginationContract {
    protected abstract val db: Database
    private val secret = ByteArray(32) { it.toByte() }

    @BeforeTest
    fun seed() {
        seedItems(db)
    }

    private fun request(vararg params: Pair<String, String>) = PageRequest(params.groupBy({ it.first }, { it.second }), BASE)

    protected fun page(paginator: Paginator, vararg params: Pair<String, String>) = transaction(db) {
        paginator.paginate(Items.selectAll().orderBy(Items.id), request(*params)).map { it[Items.id].value }
    }

    /** Runs [block] counting the statements whose SQL contains [word]. */
    protected fun <T> counting(word: String, block: JdbcTransaction.() -> T): Pair<T, Int> = transaction(db) {
        var count = 0
        registerInterceptor(object : StatementInterceptor {
            override fun beforeExecution(transaction: Transaction, context: StatementContext) {
                if (context.sql(transaction).contains(word, ignoreCase = true)) count++
            }
        })
        block() to count
    }

    @Test
    fun `page numbers page through with counted, parameter-keeping links`() {
        val p = Paginators.pageNumber(pageSize = 20, maxPageSize = 30)
        val first = page(p, "q" to "a b", "page" to "1")
        assertEquals((1..20).toList(), first.results)
        assertEquals(45, first.count)
        assertEquals("$BASE?q=a+b&page=2", first.next)
        assertNull(first.previous)
        val second = page(p, "page" to "2", "q" to "x")
        assertEquals("$BASE?q=x", second.previous, "the link to page 1 drops page")
        val last = page(p, "page" to "last")
        assertEquals((41..45).toList(), last.results)
        assertNull(last.next)
        assertEquals("$BASE?page=2", last.previous)
        assertEquals(30, page(p, "page_size" to "1000").results.size, "page_size is capped")
        assertEquals(20, page(p, "page_size" to "lots").results.size, "an invalid page_size is the default")
        for (bad in listOf("4", "0", "-1", "abc", "1.5")) {
            assertFailsWith<PaginationException.InvalidPage>(bad) { page(p, "page" to bad) }
        }
    }

    @Test
    fun `an estimated-count paginator counts exactly below its threshold`() {
        val p = Paginators.pageNumber(pageSize = 20, estimatedCountThreshold = 10_000)
        val (first, counts) = counting("COUNT(") { p.paginate(Items.selectAll().orderBy(Items.id), request()) }
        assertEquals(45, first.count)
        assertFalse(first.countEstimated)
        assertEquals(1, counts)
        assertEquals((41..45).toList(), page(p, "page" to "last").results)
    }

    @Test
    fun `an empty table has an empty first page and no second`() {
        transaction(db) { Notes.deleteAll(); Items.deleteAll() }
        val p = Paginators.pageNumber()
        val empty = page(p)
        assertEquals(emptyList(), empty.results)
        assertEquals(0, empty.count)
        assertFailsWith<PaginationException.InvalidPage> { page(p, "page" to "2") }
    }

    @Test
    fun `limit and offset follow DRF`() {
        val p = Paginators.limitOffset(defaultLimit = 10, maxLimit = 50)
        val tail = page(p, "limit" to "10", "offset" to "40")
        assertEquals((41..45).toList(), tail.results)
        assertNull(tail.next)
        assertEquals("$BASE?limit=10&offset=30", tail.previous)
        val near = page(p, "offset" to "5")
        assertEquals("$BASE?limit=10", near.previous, "offset 0 is dropped")
        assertEquals("$BASE?offset=15&limit=10", near.next)
        assertEquals((1..10).toList(), page(p, "offset" to "-5").results)
        assertEquals(10, page(p, "limit" to "x").results.size)
        assertEquals(emptyList(), page(p, "offset" to "100").results)
    }

    @Test
    fun `fast page numbers never count and have no false next on a full last page`() {
        val p = Paginators.fastPageNumber(pageSize = 15)
        val (third, counts) = counting("COUNT(") { p.paginate(Items.selectAll().orderBy(Items.id), request("page" to "3")) }
        assertEquals(0, counts)
        assertEquals(15, third.results.size)
        assertNull(third.next, "45 rows fill exactly three pages")
        assertNull(third.count)
        assertEquals("$BASE?page=2", third.previous)
        assertEquals("$BASE?page=2", page(p).next)
        assertFailsWith<PaginationException.InvalidPage> { page(p, "page" to "4") }
    }

    @Test
    fun `deep offsets are refused when capped`() {
        val p = Paginators.pageNumber(pageSize = 10, maxOffset = 20)
        assertEquals((21..30).toList(), page(p, "page" to "3").results)
        assertFailsWith<PaginationException.OffsetTooDeep> { page(p, "page" to "4") }
    }

    @Test
    fun `cursors walk forward and back through duplicate scores`() {
        val p = Paginators.cursor(listOf(Items.score to SortOrder.DESC, Items.id to SortOrder.ASC), secret, pageSize = 7)
        val expected = transaction(db) { Items.selectAll().map { it[Items.score] to it[Items.id].value } }
            .sortedWith(compareBy({ -it.first }, { it.second })).map { it.second }
        fun at(cursor: String?) = transaction(db) {
            val params = cursor?.let { mapOf("cursor" to listOf(it)) } ?: emptyMap()
            p.paginate(Items.selectAll().orderBy(Items.id), PageRequest(params, BASE)).map { it[Items.id].value }
        }
        val forward = mutableListOf<Page<Int>>()
        var cursor: String? = null
        do {
            val page = at(cursor)
            forward += page
            cursor = page.next?.substringAfter("cursor=")?.let { java.net.URLDecoder.decode(it, Charsets.UTF_8) }
        } while (cursor != null)
        assertEquals(expected, forward.flatMap { it.results })
        assertNull(forward.first().previous)
        assertEquals(7, forward.size)
        // back from the last page
        var back = forward.last()
        val seen = mutableListOf(back.results)
        while (back.previous != null) {
            back = at(java.net.URLDecoder.decode(back.previous!!.substringAfter("cursor="), Charsets.UTF_8))
            seen += back.results
        }
        assertEquals(expected, seen.reversed().flatten())
    }

    @Test
    fun `tampered, garbage and foreign cursors are refused`() {
        val p = Paginators.cursor(listOf(Items.id to SortOrder.ASC), secret, pageSize = 5)
        val next = transaction(db) { p.paginate(Items.selectAll(), request()).next!! }
        val cursor = java.net.URLDecoder.decode(next.substringAfter("cursor="), Charsets.UTF_8)
        val flipped = cursor.substring(0, 2) + (if (cursor[2] == 'A') 'B' else 'A') + cursor.substring(3)
        val other = Paginators.cursor(listOf(Items.id to SortOrder.ASC), ByteArray(32) { 7 }, pageSize = 5)
        for (bad in listOf(flipped, "garbage", "a.b", "", cursor + "x")) {
            if (bad.isEmpty()) continue
            assertFailsWith<PaginationException.InvalidCursor>(bad) { transaction(db) { p.paginate(Items.selectAll(), request("cursor" to bad)) } }
        }
        assertFailsWith<PaginationException.InvalidCursor> { transaction(db) { other.paginate(Items.selectAll(), request("cursor" to cursor)) } }
    }

    @Test
    fun `a cursor ordering without a unique last column is a declaration error`() {
        assertFailsWith<IllegalArgumentException> { Paginators.cursor(listOf(Items.score to SortOrder.ASC), secret) }
    }

    @Test
    fun `PostFetch attaches the first, the first N or all related rows in one query`() {
        fun fetch(limit: Int?) = counting("page_notes") {
            val parents = Items.selectAll().orderBy(Items.id).limit(4).toList()
            PostFetch(Notes, "notes", listOf(Notes.item to Items.id), listOf(Notes.id, Notes.text), listOf(Notes.rank to SortOrder.DESC), limit)
                .fetch(parents).map { rows -> rows.map { it[Notes.text] } }
        }
        val (one, queries) = fetch(1)
        assertEquals(listOf(listOf("n1-3"), listOf("n2-1"), listOf("n3-2"), emptyList()), one)
        assertEquals(1, queries)
        assertEquals(listOf(listOf("n1-3", "n1-2"), listOf("n2-1"), listOf("n3-2", "n3-1"), emptyList()), fetch(2).first)
        val (all, allQueries) = fetch(null)
        assertEquals(listOf(listOf("n1-3", "n1-2", "n1-1"), listOf("n2-1"), listOf("n3-2", "n3-1"), emptyList()), all)
        assertEquals(1, allQueries)
        val (none, noQueries) = counting("page_notes") { PostFetch(Notes, "notes", listOf(Notes.item to Items.id), listOf(Notes.text)).fetch(emptyList()) }
        assertEquals(emptyList(), none)
        assertEquals(0, noQueries)
    }

    @Test
    fun `PostFetch joins on several columns`() {
        val joined = transaction(db) {
            val parents = Items.selectAll().orderBy(Items.id).limit(3).toList()
            // notes whose (item, rank) equals the parent's (id, score): item 1 has score 1, item 2 score 2, item 3 score 3
            PostFetch(Notes, "match", listOf(Notes.item to Items.id, Notes.rank to Items.score), listOf(Notes.text))
                .fetch(parents).map { rows -> rows.map { it[Notes.text] } }
        }
        assertEquals(listOf(listOf("n1-1"), emptyList(), emptyList()), joined)
    }
}

/**
 * (Re)creates [Items] and [Notes] in [db]: 45 items whose scores repeat (`i % 5`, so a cursor ordering by score needs
 * the id tie-breaker); items 1..3 have 3, 1 and 2 notes, the others none.
 */
fun seedItems(db: Database) {
    transaction(db) {
        SchemaUtils.drop(Notes, Items)
        SchemaUtils.create(Items, Notes)
        Items.batchInsert(1..45) { this[Items.score] = it % 5 }
        Notes.batchInsert(listOf(1 to 1, 1 to 2, 1 to 3, 2 to 1, 3 to 1, 3 to 2)) { (item, rank) ->
            this[Notes.item] = item; this[Notes.rank] = rank; this[Notes.text] = "n$item-$rank"
        }
    }
}

class H2PaginationTest : PaginationContract() {
    override val db: Database = Database.connect("jdbc:h2:mem:pages-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")

    @Test
    fun `estimated counts are exact COUNTs on H2`() {
        val p = Paginators.pageNumber(pageSize = 20, estimatedCountThreshold = 0)
        val (first, counts) = counting("COUNT(") {
            p.paginate(Items.selectAll().where { Items.score eq 1 }.orderBy(Items.id), PageRequest(emptyMap(), BASE))
        }
        assertEquals(9, first.count)
        assertFalse(first.countEstimated)
        assertEquals(1, counts)
    }
}

class PostgresPaginationTest : PaginationContract() {
    override val db: Database = shared

    private companion object {
        val shared: Database by lazy {
            val pg = TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
