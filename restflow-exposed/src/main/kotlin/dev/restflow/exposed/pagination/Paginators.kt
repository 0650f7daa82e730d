package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.SortOrder

/** Factories of the four paginators (Kotlin and Java). */
public object Paginators {
    /**
     * DRF's page-number pagination: `?page=N` (or `page=last`) and `?page_size=M` (capped at [maxPageSize]; `null`
     * [pageSizeParam] disables it), `{"count","next","previous","results"}`. [maxOffset] refuses deeper pages with
     * [PaginationException.OffsetTooDeep].
     */
    @JvmStatic
    @JvmOverloads
    public fun pageNumber(
        pageSize: Int = 20,
        maxPageSize: Int = 100,
        pageParam: String = "page",
        pageSizeParam: String? = "page_size",
        maxOffset: Long? = null,
    ): Paginator = PageNumberPaginator(pageSize, maxPageSize, pageParam, pageSizeParam, maxOffset)

    /** DRF's limit/offset pagination: `?limit=N&offset=M`, `{"count","next","previous","results"}`. */
    @JvmStatic
    @JvmOverloads
    public fun limitOffset(
        defaultLimit: Int = 20,
        maxLimit: Int = 100,
        limitParam: String = "limit",
        offsetParam: String = "offset",
        maxOffset: Long? = null,
    ): Paginator = LimitOffsetPaginator(defaultLimit, maxLimit, limitParam, offsetParam, maxOffset)

    /** Page numbers without COUNT: fetches one row more than a page, `{"results","next","previous"}`. */
    @JvmStatic
    @JvmOverloads
    public fun fastPageNumber(
        pageSize: Int = 20,
        maxPageSize: Int = 100,
        pageParam: String = "page",
        pageSizeParam: String? = "page_size",
        maxOffset: Long? = null,
    ): Paginator = FastPageNumberPaginator(pageSize, maxPageSize, pageParam, pageSizeParam, maxOffset)

    /**
     * Keyset pagination ordered by [ordering] (the last column unique, every column NOT NULL) with opaque cursors
     * signed by [secret] (at least 32 bytes; share it between instances), `{"next","previous","results"}`.
     */
    @JvmStatic
    @JvmOverloads
    public fun cursor(
        ordering: List<Pair<Column<*>, SortOrder>>,
        secret: ByteArray,
        pageSize: Int = 20,
        maxPageSize: Int = 100,
        cursorParam: String = "cursor",
        pageSizeParam: String? = "page_size",
    ): Paginator = CursorPaginator(ordering, pageSize, maxPageSize, cursorParam, pageSizeParam, secret)
}
