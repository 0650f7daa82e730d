package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse

/** The snippets of docs/pagination.md that run queries (on H2): paginating without Ktor and the estimated count. */
class PaginationDocsTest {
    private val db = Database.connect("jdbc:h2:mem:pages-docs-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also(::seedItems)

    @Test
    fun `a paginator runs without Ktor`() {
        // region without-ktor
        val paginator = Paginators.pageNumber(pageSize = 10)
        val request = PageRequest(mapOf("page" to listOf("2"), "q" to listOf("x")), "https://shop.example/api/items")
        val page = transaction(db) {
            paginator.paginate(Items.selectAll().orderBy(Items.id), request).map { row -> row[Items.id].value }
        }
        // page.results: 11..20, page.count: 45
        // page.next: "https://shop.example/api/items?page=3&q=x", page.previous: "https://shop.example/api/items?q=x"
        // endregion
        assertEquals((11..20).toList(), page.results)
        assertEquals(45, page.count)
        assertEquals("https://shop.example/api/items?page=3&q=x", page.next)
        assertEquals("https://shop.example/api/items?q=x", page.previous)
    }

    @Test
    fun `the estimated count falls back to COUNT off PostgreSQL`() {
        val query = Items.selectAll().where { Items.score eq 1 }.orderBy(Items.id)
        val request = PageRequest(emptyMap(), "https://shop.example/api/items")
        // region estimated-count
        val huge = Paginators.pageNumber(pageSize = 20, estimatedCountThreshold = 10_000)
        val page = transaction(db) { huge.paginate(query, request) }
        // page.countEstimated: true when page.count is PostgreSQL's estimate; here (H2) false, an exact COUNT of 9
        // endregion
        assertEquals(9, page.count)
        assertFalse(page.countEstimated)
    }
}
