package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.SortOrder

/**
 * Factories of the four paginators. Kotlin uses the functions with named arguments; Java uses them positionally or,
 * to set one option without the others, the builders ([pageNumberBuilder], [limitOffsetBuilder],
 * [fastPageNumberBuilder], [cursorBuilder]).
 */
public object Paginators {
    /** The estimate below which [pageNumber]'s estimated count falls back to an exact COUNT, unless told otherwise. */
    public const val DEFAULT_ESTIMATED_COUNT_THRESHOLD: Long = 10_000L

    /**
     * DRF's page-number pagination: `?page=N` (or `page=last`) and `?page_size=M` (capped at [maxPageSize]; `null`
     * [pageSizeParam] disables it), `{"count","next","previous","results"}`. [maxOffset] refuses deeper pages with
     * [PaginationException.OffsetTooDeep].
     *
     * [estimatedCountThreshold] opts in to estimated counts on PostgreSQL (other databases always COUNT): when the
     * planner estimates at least that many rows — `pg_class.reltuples` for an unfiltered table, `EXPLAIN` of the query
     * otherwise — the estimate is the page's `count` ([Page.countEstimated]) and no COUNT runs; smaller results are
     * counted exactly. `null` (the default) always counts exactly.
     */
    @JvmStatic
    @JvmOverloads
    public fun pageNumber(
        pageSize: Int = 20,
        maxPageSize: Int = 100,
        pageParam: String = "page",
        pageSizeParam: String? = "page_size",
        maxOffset: Long? = null,
        estimatedCountThreshold: Long? = null,
    ): Paginator =
        PageNumberPaginator(pageSize, maxPageSize, pageParam, pageSizeParam, maxOffset, estimatedCountThreshold?.let(::CountEstimator))

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

    /** A builder of [pageNumber] paginators, starting from its defaults. */
    @JvmStatic
    public fun pageNumberBuilder(): PageNumberPaginatorBuilder = PageNumberPaginatorBuilder()

    /** A builder of [limitOffset] paginators, starting from its defaults. */
    @JvmStatic
    public fun limitOffsetBuilder(): LimitOffsetPaginatorBuilder = LimitOffsetPaginatorBuilder()

    /** A builder of [fastPageNumber] paginators, starting from its defaults. */
    @JvmStatic
    public fun fastPageNumberBuilder(): FastPageNumberPaginatorBuilder = FastPageNumberPaginatorBuilder()

    /** A builder of [cursor] paginators signed with [secret] (at least 32 bytes); add the ordering with `orderBy`. */
    @JvmStatic
    public fun cursorBuilder(secret: ByteArray): CursorPaginatorBuilder = CursorPaginatorBuilder(secret)
}
