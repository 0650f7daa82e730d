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
        val page = if (raw == null) 1L else raw.toLongOrNull() ?: throw PaginationException.InvalidPage()
        if (page < 1) throw PaginationException.InvalidPage()
        val offset = (page - 1) * size
        if (maxOffset != null && offset > maxOffset) throw PaginationException.OffsetTooDeep(maxOffset)
        val fetched = query.limit(size + 1).offset(offset).toList()
        if (fetched.isEmpty() && page > 1) throw PaginationException.InvalidPage()
        val hasNext = fetched.size > size
        val next = if (hasNext) request.urlWith(mapOf(pageParam to (page + 1).toString())) else null
        return Page(if (hasNext) fetched.subList(0, size) else fetched, null, next, PageSizes.previousPage(request, pageParam, page), shape)
    }
}
