package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.jdbc.Query

/**
 * DRF's `LimitOffsetPagination`: `?limit=N&offset=M` with a COUNT. An invalid limit is the default, a larger one is
 * capped; a negative or invalid offset is 0. The previous link drops `offset` when it would be 0.
 */
internal class LimitOffsetPaginator(
    private val defaultLimit: Int,
    private val maxLimit: Int,
    private val limitParam: String,
    private val offsetParam: String,
    private val maxOffset: Long?,
) : Paginator {
    init {
        require(defaultLimit in 1..maxLimit) { "defaultLimit must be between 1 and maxLimit ($maxLimit), got $defaultLimit" }
    }

    override val queryParameterNames: Set<String> = setOf(limitParam, offsetParam)
    override val shape: PageShape = PageShape.COUNTED

    override fun paginate(query: Query, request: PageRequest): Page<ResultRow> {
        val limit = PageSizes.resolve(request, limitParam, defaultLimit, maxLimit)
        val offset = request.parameter(offsetParam)?.trim()?.toLongOrNull()?.coerceAtLeast(0) ?: 0L
        if (maxOffset != null && offset > maxOffset) throw PaginationException.OffsetTooDeep(maxOffset)
        val count = query.copy().count()
        val rows = if (offset >= count) emptyList() else query.limit(limit).offset(offset).toList()
        val next = if (offset + limit < count) {
            request.urlWith(mapOf(limitParam to limit.toString(), offsetParam to (offset + limit).toString()))
        } else {
            null
        }
        val previous = when {
            offset <= 0 -> null
            offset - limit <= 0 -> request.urlWith(mapOf(limitParam to limit.toString(), offsetParam to null))
            else -> request.urlWith(mapOf(limitParam to limit.toString(), offsetParam to (offset - limit).toString()))
        }
        return Page(rows, count, next, previous, shape)
    }
}
