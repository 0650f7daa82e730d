package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.jdbc.Query

/**
 * DRF's `PageNumberPagination`: `?page=N&page_size=M`, a COUNT for `count` and the last page, `page=last`, absolute
 * links that keep every other parameter (the link to page 1 drops `page`). A page that is not an integer, below 1 or
 * past the last page is [PaginationException.InvalidPage]; an empty result's page 1 is an empty page. An invalid
 * `page_size` falls back to the default; a larger one is capped.
 *
 * With [estimator] (opt-in) a PostgreSQL planner estimate replaces the COUNT when it is large enough: the page is then
 * fetched with one extra row, so `next` is exact, a page past the end is [PaginationException.InvalidPage] when it is
 * empty (rather than by the estimate), and the count is at least the rows seen; the last page knows its exact count.
 * `page=last` needs the real last page, so it always counts.
 */
internal class PageNumberPaginator(
    private val pageSize: Int,
    private val maxPageSize: Int,
    private val pageParam: String,
    private val pageSizeParam: String?,
    private val maxOffset: Long?,
    private val estimator: CountEstimator?,
) : Paginator {
    init {
        require(pageSize in 1..maxPageSize) { "pageSize must be between 1 and maxPageSize ($maxPageSize), got $pageSize" }
    }

    override val queryParameterNames: Set<String> = setOfNotNull(pageParam, pageSizeParam)
    override val shape: PageShape = PageShape.COUNTED

    override fun paginate(query: Query, request: PageRequest): Page<ResultRow> {
        val size = PageSizes.resolve(request, pageSizeParam, pageSize, maxPageSize)
        val raw = request.parameter(pageParam)?.trim()?.takeIf { it.isNotEmpty() }
        if (estimator != null && raw != "last") {
            estimator.estimate(query)?.let { return estimatedPage(query, request, raw, size, it) }
        }
        val count = query.copy().count()
        val pages = if (count == 0L) 1L else (count + size - 1) / size
        val page = when {
            raw == null -> 1L
            raw == "last" -> pages
            else -> raw.toLongOrNull() ?: throw PaginationException.InvalidPage()
        }
        if (page < 1 || page > pages) throw PaginationException.InvalidPage()
        val offset = (page - 1) * size
        if (maxOffset != null && offset > maxOffset) throw PaginationException.OffsetTooDeep(maxOffset)
        val rows = if (count == 0L) emptyList() else query.limit(size).offset(offset).toList()
        val next = if (page < pages) request.urlWith(mapOf(pageParam to (page + 1).toString())) else null
        return Page(rows, count, next, PageSizes.previousPage(request, pageParam, page), shape)
    }

    private fun estimatedPage(query: Query, request: PageRequest, raw: String?, size: Int, estimate: Long): Page<ResultRow> {
        val p = PageSizes.lookAhead(query, request, pageParam, raw, size, maxOffset)
        val previous = PageSizes.previousPage(request, pageParam, p.page)
        // past the last row the count is known exactly; before it, never less than the rows already seen (+ the next)
        return if (p.next != null) {
            Page(p.rows, maxOf(estimate, p.offset + p.rows.size + 1), p.next, previous, shape, countEstimated = true)
        } else {
            Page(p.rows, p.offset + p.rows.size, null, previous, shape)
        }
    }
}

/** The page size a request asks for: the default when absent or invalid, capped at the maximum. */
internal object PageSizes {
    fun resolve(request: PageRequest, param: String?, default: Int, max: Int): Int {
        val asked = param?.let { request.parameter(it)?.trim()?.toIntOrNull() } ?: return default
        return if (asked < 1) default else minOf(asked, max)
    }

    /**
     * Page [raw] (1 when absent) of [query], fetched with one extra row so `next` is known without a COUNT: the page
     * number, its offset, its rows and the `next` link. A page past the end (other than the first) is invalid.
     */
    fun lookAhead(query: Query, request: PageRequest, pageParam: String, raw: String?, size: Int, maxOffset: Long?): LookAhead {
        val page = if (raw == null) 1L else raw.toLongOrNull() ?: throw PaginationException.InvalidPage()
        if (page < 1) throw PaginationException.InvalidPage()
        val offset = (page - 1) * size
        if (maxOffset != null && offset > maxOffset) throw PaginationException.OffsetTooDeep(maxOffset)
        val fetched = query.limit(size + 1).offset(offset).toList()
        if (fetched.isEmpty() && page > 1) throw PaginationException.InvalidPage()
        val hasNext = fetched.size > size
        val next = if (hasNext) request.urlWith(mapOf(pageParam to (page + 1).toString())) else null
        return LookAhead(page, offset, if (hasNext) fetched.subList(0, size) else fetched, next)
    }

    /** One page fetched by [lookAhead]. */
    class LookAhead(val page: Long, val offset: Long, val rows: List<ResultRow>, val next: String?)

    /** The link to page `page - 1`, without the page parameter for page 1 (DRF); `null` on the first page. */
    fun previousPage(request: PageRequest, pageParam: String, page: Long): String? = when {
        page <= 1 -> null
        page == 2L -> request.urlWith(mapOf(pageParam to null))
        else -> request.urlWith(mapOf(pageParam to (page - 1).toString()))
    }
}
