package dev.restflow.ktor.settings

import dev.restflow.RestflowDsl

/** Pagination defaults (`restflow.pagination`), used by paginators that set none of their own. */
public class PaginationSettings internal constructor(b: PaginationSettingsBuilder) {
    /** `page-size` (default 20): items per page when the client asks for no size. */
    public val pageSize: Int = b.pageSize

    /** `max-page-size` (default 100): a larger requested size is clamped to this. */
    public val maxPageSize: Int = b.maxPageSize

    /** A builder holding these values. */
    public fun toBuilder(): PaginationSettingsBuilder = PaginationSettingsBuilder().also {
        it.pageSize = pageSize
        it.maxPageSize = maxPageSize
    }

    override fun toString(): String = "PaginationSettings(pageSize=$pageSize, maxPageSize=$maxPageSize)"
}

/** Mutable values for [PaginationSettings]. */
@RestflowDsl
public class PaginationSettingsBuilder internal constructor() {
    /** See [PaginationSettings.pageSize]. */
    public var pageSize: Int = 20

    /** See [PaginationSettings.maxPageSize]. */
    public var maxPageSize: Int = 100

    internal fun validate(problems: Problems) {
        problems.atLeast("restflow.pagination.page-size", pageSize.toLong(), 1)
        problems.atLeast("restflow.pagination.max-page-size", maxPageSize.toLong(), 1)
        if (pageSize > maxPageSize) {
            problems.add("restflow.pagination.page-size: $pageSize is larger than max-page-size $maxPageSize")
        }
    }
}
