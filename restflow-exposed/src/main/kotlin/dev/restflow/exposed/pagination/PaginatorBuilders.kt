package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.SortOrder

/**
 * Fluent builder of [Paginators.pageNumber] for Java (and for Kotlin code that prefers it). Not thread-safe; the
 * paginator it builds is. Every setter has the meaning of the factory parameter of the same name.
 */
public class PageNumberPaginatorBuilder internal constructor() {
    private var pageSize = 20
    private var maxPageSize = 100
    private var pageParam = "page"
    private var pageSizeParam: String? = "page_size"
    private var maxOffset: Long? = null
    private var estimatedCountThreshold: Long? = null

    /** The default page size (20). */
    public fun pageSize(value: Int): PageNumberPaginatorBuilder = apply { pageSize = value }

    /** The cap of a requested page size (100). */
    public fun maxPageSize(value: Int): PageNumberPaginatorBuilder = apply { maxPageSize = value }

    /** The page query parameter (`page`). */
    public fun pageParam(name: String): PageNumberPaginatorBuilder = apply { pageParam = name }

    /** The page-size query parameter (`page_size`); `null` lets clients choose no size. */
    public fun pageSizeParam(name: String?): PageNumberPaginatorBuilder = apply { pageSizeParam = name }

    /** Refuses pages starting deeper than [value] rows; `null` (the default) serves every depth. */
    public fun maxOffset(value: Long?): PageNumberPaginatorBuilder = apply { maxOffset = value }

    /**
     * Opts in to PostgreSQL estimated counts from [threshold] rows up (default
     * [Paginators.DEFAULT_ESTIMATED_COUNT_THRESHOLD]); see [Paginators.pageNumber].
     */
    @JvmOverloads
    public fun estimatedCount(threshold: Long = Paginators.DEFAULT_ESTIMATED_COUNT_THRESHOLD): PageNumberPaginatorBuilder =
        apply { estimatedCountThreshold = threshold }

    /** The paginator; throws [IllegalArgumentException] for inconsistent sizes. */
    public fun build(): Paginator =
        Paginators.pageNumber(pageSize, maxPageSize, pageParam, pageSizeParam, maxOffset, estimatedCountThreshold)
}

/** Fluent builder of [Paginators.limitOffset]. Not thread-safe; the paginator it builds is. */
public class LimitOffsetPaginatorBuilder internal constructor() {
    private var defaultLimit = 20
    private var maxLimit = 100
    private var limitParam = "limit"
    private var offsetParam = "offset"
    private var maxOffset: Long? = null

    /** The limit when none (or an invalid one) is asked for (20). */
    public fun defaultLimit(value: Int): LimitOffsetPaginatorBuilder = apply { defaultLimit = value }

    /** The cap of a requested limit (100). */
    public fun maxLimit(value: Int): LimitOffsetPaginatorBuilder = apply { maxLimit = value }

    /** The limit query parameter (`limit`). */
    public fun limitParam(name: String): LimitOffsetPaginatorBuilder = apply { limitParam = name }

    /** The offset query parameter (`offset`). */
    public fun offsetParam(name: String): LimitOffsetPaginatorBuilder = apply { offsetParam = name }

    /** Refuses offsets deeper than [value]; `null` (the default) serves every depth. */
    public fun maxOffset(value: Long?): LimitOffsetPaginatorBuilder = apply { maxOffset = value }

    /** The paginator; throws [IllegalArgumentException] for inconsistent limits. */
    public fun build(): Paginator = Paginators.limitOffset(defaultLimit, maxLimit, limitParam, offsetParam, maxOffset)
}

/** Fluent builder of [Paginators.fastPageNumber]. Not thread-safe; the paginator it builds is. */
public class FastPageNumberPaginatorBuilder internal constructor() {
    private var pageSize = 20
    private var maxPageSize = 100
    private var pageParam = "page"
    private var pageSizeParam: String? = "page_size"
    private var maxOffset: Long? = null

    /** The default page size (20). */
    public fun pageSize(value: Int): FastPageNumberPaginatorBuilder = apply { pageSize = value }

    /** The cap of a requested page size (100). */
    public fun maxPageSize(value: Int): FastPageNumberPaginatorBuilder = apply { maxPageSize = value }

    /** The page query parameter (`page`). */
    public fun pageParam(name: String): FastPageNumberPaginatorBuilder = apply { pageParam = name }

    /** The page-size query parameter (`page_size`); `null` lets clients choose no size. */
    public fun pageSizeParam(name: String?): FastPageNumberPaginatorBuilder = apply { pageSizeParam = name }

    /** Refuses pages starting deeper than [value] rows; `null` (the default) serves every depth. */
    public fun maxOffset(value: Long?): FastPageNumberPaginatorBuilder = apply { maxOffset = value }

    /** The paginator; throws [IllegalArgumentException] for inconsistent sizes. */
    public fun build(): Paginator = Paginators.fastPageNumber(pageSize, maxPageSize, pageParam, pageSizeParam, maxOffset)
}

/**
 * Fluent builder of [Paginators.cursor]: call [orderBy] once per ordering column, the last one unique. Not
 * thread-safe; the paginator it builds is.
 */
public class CursorPaginatorBuilder internal constructor(secret: ByteArray) {
    private val secret = secret.copyOf()
    private val ordering = ArrayList<Pair<Column<*>, SortOrder>>()
    private var pageSize = 20
    private var maxPageSize = 100
    private var cursorParam = "cursor"
    private var pageSizeParam: String? = "page_size"

    /** Appends [column] in [order] (ASC or DESC; NOT NULL columns only) to the keyset ordering. */
    public fun orderBy(column: Column<*>, order: SortOrder): CursorPaginatorBuilder = apply { ordering += column to order }

    /** The default page size (20). */
    public fun pageSize(value: Int): CursorPaginatorBuilder = apply { pageSize = value }

    /** The cap of a requested page size (100). */
    public fun maxPageSize(value: Int): CursorPaginatorBuilder = apply { maxPageSize = value }

    /** The cursor query parameter (`cursor`). */
    public fun cursorParam(name: String): CursorPaginatorBuilder = apply { cursorParam = name }

    /** The page-size query parameter (`page_size`); `null` lets clients choose no size. */
    public fun pageSizeParam(name: String?): CursorPaginatorBuilder = apply { pageSizeParam = name }

    /** The paginator; throws [IllegalArgumentException] for an empty or non-unique ordering or a short secret. */
    public fun build(): Paginator = Paginators.cursor(ordering.toList(), secret, pageSize, maxPageSize, cursorParam, pageSizeParam)
}
