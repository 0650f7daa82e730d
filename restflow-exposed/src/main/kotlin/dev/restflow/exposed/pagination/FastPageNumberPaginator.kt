package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.jdbc.Query

/**
 * drf-restflow's fast page-number pagination: never runs COUNT; it fetches `size + 1` rows to know whether a next
 * page exists (so a full last page has no false `next`). An empty page past the first is
 * [PaginationException.InvalidPage]; the link to page 1 drops `page`.
 */
internal class FastPageNumberPaginator(
    private val pageSize: Int,
    private val maxPageSize: Int,
    private val pageParam: String,
    private val pageSizeParam: String?,
    private val maxOffset: Long?,
) : Paginator {
    init {
        require(pageSize in 1..maxPageSize) { "pageSize must be between 1 and maxPageSize ($maxPageSize), got $pageSize" }
    }

    override val queryParameterNames: Set<String> = setOfNotNull(pageParam, pageSizeParam)
    override val shape: PageShape = PageShape.FAST

    override fun paginate(query: Query, request: PageRequest): Page<ResultRow> {
        val size = PageSizes.resolve(request, pageSizeParam, pageSize, maxPageSize)
        val raw = request.parameter(pageParam)?.trim()?.takeIf { it.isNotEmpty() }
        val p = PageSizes.lookAhead(query, request, pageParam, raw, size, maxOffset)
        return Page(p.rows, null, p.next, PageSizes.previousPage(request, pageParam, p.page), shape)
    }
}
