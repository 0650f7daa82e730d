package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.jdbc.Query

/**
 * Cuts one page out of a query. Implementations are immutable and thread-safe; [paginate] runs the page's
 * statements and must be called inside a transaction.
 */
public interface Paginator {
    /** The page [request] asks for. Throws [PaginationException] for a page that cannot be served. */
    public fun paginate(query: Query, request: PageRequest): Page<ResultRow>

    /** The query parameters this paginator reads (filter sets treat them as known). */
    public val queryParameterNames: Set<String>

    /** The shape of the pages. */
    public val shape: PageShape
}
