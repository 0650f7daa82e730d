package dev.restflow.docs

import dev.restflow.exposed.pagination.PageShape
import dev.restflow.exposed.pagination.Paginator
import dev.restflow.exposed.pagination.Paginators
import dev.restflow.exposed.postfetch.PostFetch
import dev.restflow.ktor.Restflow
import dev.restflow.ktor.view.ViewAction
import dev.restflow.ktor.view.viewSet
import io.ktor.client.request.delete
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import org.jetbrains.exposed.v1.core.ReferenceOption
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import java.security.MessageDigest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

object Articles : IntIdTable("articles") {
    val title = varchar("title", 200)
    val publishedAt = long("published_at")           // epoch millis, NOT NULL
    val summary = varchar("summary", 500).nullable()
}

object Comments : IntIdTable("comments") {
    val article = reference("article_id", Articles, onDelete = ReferenceOption.CASCADE)
    val author = varchar("author", 100)
    val body = varchar("body", 2_000)
    val postedAt = long("posted_at")
}

/** The snippets of docs/pagination.md that use only released API; building paginators needs no database. */
class PaginationSnippets {
    private val jwtKey = "dev-only-secret".repeat(5)

    // region page-number
    val pages = Paginators.pageNumber(pageSize = 50, maxPageSize = 200, maxOffset = 100_000)
    // endregion

    // region limit-offset
    val window = Paginators.limitOffset(defaultLimit = 25, maxLimit = 100)
    // endregion

    // region fast
    val fast = Paginators.fastPageNumber(pageSize = 20, pageSizeParam = null) // clients cannot change the size
    // endregion

    // region cursor
    // at least 32 bytes, the same on every instance; here derived from a key the instances already share
    val cursorSecret: ByteArray = MessageDigest.getInstance("SHA-256").digest("cursor:$jwtKey".toByteArray())

    val newestFirst = Paginators.cursor(
        ordering = listOf(Articles.publishedAt to SortOrder.DESC, Articles.id to SortOrder.DESC), // id breaks ties
        secret = cursorSecret,
        pageSize = 30,
    )
    // endregion

    // region post-fetch
    val latestComment = PostFetch(
        table = Comments,
        attachAs = "latest_comment",
        join = listOf(Comments.article to Articles.id),
        values = listOf(Comments.author, Comments.body),
        orderBy = listOf(Comments.postedAt to SortOrder.DESC, Comments.id to SortOrder.DESC),
        limit = 1,                                   // an object or null; limit = 3: a list of up to 3; null: all
    )
    // endregion

    @Test
    fun `the paginators read their parameters`() {
        assertEquals(setOf("page", "page_size"), pages.queryParameterNames)
        assertEquals(setOf("limit", "offset"), window.queryParameterNames)
        assertEquals(setOf("page"), fast.queryParameterNames)
        assertEquals(setOf("cursor", "page_size"), newestFirst.queryParameterNames)
        assertEquals(listOf(PageShape.COUNTED, PageShape.COUNTED, PageShape.FAST, PageShape.CURSOR), listOf(pages, window, fast, newestFirst).map(Paginator::shape))
    }

    @Test
    fun `cursor orderings must be total and NOT NULL`() {
        assertFailsWith<IllegalArgumentException> { Paginators.cursor(listOf(Articles.publishedAt to SortOrder.DESC), cursorSecret) }
        assertFailsWith<IllegalArgumentException> { Paginators.cursor(listOf(Articles.summary to SortOrder.ASC, Articles.id to SortOrder.ASC), cursorSecret) }
        assertFailsWith<IllegalArgumentException> { Paginators.cursor(listOf(Articles.id to SortOrder.ASC), ByteArray(16)) }
    }

    @Test
    fun `a viewset takes its paginator and PostFetch`() = testApplication {
        application {
            install(Restflow)
            // region viewset
            routing {
                viewSet("/articles", Articles) {
                    pagination(newestFirst)                     // the lists of this viewset
                    postFetch(latestComment)                    // listed and retrieved articles get "latest_comment"
                }
                viewSet("/comments", Comments) {
                    action(ViewAction.LIST) { noPagination() }  // per action: a plain JSON array
                }
            }
            // endregion
        }
        // the routes are installed (no database is needed to see a verb refused)
        assertEquals(HttpStatusCode.MethodNotAllowed, client.delete("/articles").status)
        assertEquals(HttpStatusCode.MethodNotAllowed, client.delete("/comments").status)
    }
}
