package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.AndOp
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.EntityIDColumnType
import org.jetbrains.exposed.v1.core.IColumnType
import org.jetbrains.exposed.v1.core.Op
import org.jetbrains.exposed.v1.core.OrOp
import org.jetbrains.exposed.v1.core.QueryParameter
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IdTable
import org.jetbrains.exposed.v1.core.EqOp
import org.jetbrains.exposed.v1.core.GreaterOp
import org.jetbrains.exposed.v1.core.LessOp
import org.jetbrains.exposed.v1.jdbc.Query
import org.jetbrains.exposed.v1.jdbc.andWhere

/**
 * Keyset (cursor) pagination, DRF's `CursorPagination` without its offset: the page after (or before) the boundary
 * row named by an opaque HMAC-signed cursor, ordered by [ordering] — whose last column must be unique, so the order is
 * total. It is as fast on the millionth page as on the first and stable while rows are inserted.
 *
 * The paginator imposes its own ordering (any ORDER BY of the incoming query is dropped; grouping is not supported).
 * Ordering columns must be NOT NULL: keyset comparisons do not order NULLs portably, so nullable columns are refused
 * when the paginator is built.
 */
internal class CursorPaginator(
    private val ordering: List<Pair<Column<*>, SortOrder>>,
    private val pageSize: Int,
    private val maxPageSize: Int,
    private val cursorParam: String,
    private val pageSizeParam: String?,
    secret: ByteArray,
) : Paginator {
    private val codec = CursorCodec(secret)

    init {
        require(ordering.isNotEmpty()) { "Cursor pagination needs at least one ordering column" }
        require(pageSize in 1..maxPageSize) { "pageSize must be between 1 and maxPageSize ($maxPageSize), got $pageSize" }
        ordering.forEach { (column, order) ->
            require(!column.columnType.nullable) { "Cursor ordering column ${column.name} is nullable; keyset pagination needs NOT NULL columns" }
            require(order == SortOrder.ASC || order == SortOrder.DESC) { "Cursor ordering supports ASC and DESC only, got $order for ${column.name}" }
        }
        val last = ordering.last().first
        val unique = last.table.primaryKey?.columns?.let { it.size == 1 && it[0] == last } == true ||
            (last.table as? IdTable<*>)?.id == last ||
            last.table.indices.any { it.unique && it.columns == listOf(last) }
        require(unique) { "The last cursor ordering column (${last.name}) must be unique (a primary key or unique index) to break ties" }
    }

    override val queryParameterNames: Set<String> = setOfNotNull(cursorParam, pageSizeParam)
    override val shape: PageShape = PageShape.CURSOR

    override fun paginate(query: Query, request: PageRequest): Page<ResultRow> {
        val size = PageSizes.resolve(request, pageSizeParam, pageSize, maxPageSize)
        val raw = request.parameter(cursorParam)?.takeIf { it.isNotEmpty() }
        val position = raw?.let { codec.decode(it, ordering.size) }
        val reverse = position?.reverse == true
        val base = Query(query.set, query.where)
        if (position != null) base.andWhere { after(position.values, reverse) }
        val order = ordering.map { (c, o) -> c to if (reverse) flip(o) else o }
        val fetched = base.orderBy(*order.toTypedArray()).limit(size + 1).toList()
        val more = fetched.size > size
        val page = if (more) fetched.subList(0, size) else fetched
        val rows = if (reverse) page.reversed() else page
        val (next, previous) = if (!reverse) {
            val next = if (more) link(request, rows.last(), reverse = false) else null
            val previous = if (position != null && rows.isNotEmpty()) link(request, rows.first(), reverse = true) else null
            next to previous
        } else {
            val previous = if (more) link(request, rows.first(), reverse = true) else null
            val next = if (rows.isNotEmpty()) link(request, rows.last(), reverse = false) else null
            next to previous
        }
        return Page(rows, null, next, previous, shape)
    }

    private fun link(request: PageRequest, row: ResultRow, reverse: Boolean): String =
        request.urlWith(mapOf(cursorParam to codec.encode(CursorPosition(ordering.map { row[it.first] }, reverse))))

    /** Rows strictly after [values] in the (possibly reversed) ordering: a lexicographic OR of ANDs. */
    private fun after(values: List<Any?>, reverse: Boolean): Op<Boolean> {
        val alternatives = ordering.indices.map { i ->
            val equalities = (0 until i).map { j -> EqOp(ordering[j].first, param(ordering[j].first, values[j])) }
            val (column, order) = ordering[i]
            val ascending = (order == SortOrder.ASC) != reverse
            val step: Op<Boolean> = if (ascending) GreaterOp(column, param(column, values[i])) else LessOp(column, param(column, values[i]))
            if (equalities.isEmpty()) step else AndOp(equalities + step)
        }
        return if (alternatives.size == 1) alternatives[0] else OrOp(alternatives)
    }

    @Suppress("UNCHECKED_CAST")
    private fun param(column: Column<*>, value: Any?): QueryParameter<Any> {
        val type = column.columnType
        val bound = if (type is EntityIDColumnType<*> && value != null && value !is EntityID<*>) {
            EntityID(value as Comparable<Any>, type.idColumn.table as IdTable<Comparable<Any>>)
        } else {
            value
        }
        return QueryParameter(requireNotNull(bound) { "Cursor positions never hold NULL" }, type as IColumnType<Any>)
    }

    private fun flip(order: SortOrder): SortOrder = if (order == SortOrder.ASC) SortOrder.DESC else SortOrder.ASC
}
