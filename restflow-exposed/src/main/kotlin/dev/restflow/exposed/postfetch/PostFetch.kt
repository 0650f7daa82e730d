package dev.restflow.exposed.postfetch

import org.jetbrains.exposed.v1.core.AndOp
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.EqOp
import org.jetbrains.exposed.v1.core.Expression
import org.jetbrains.exposed.v1.core.IColumnType
import org.jetbrains.exposed.v1.core.Op
import org.jetbrains.exposed.v1.core.OrOp
import org.jetbrains.exposed.v1.core.QueryParameter
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.alias
import org.jetbrains.exposed.v1.core.inList
import org.jetbrains.exposed.v1.core.lessEq
import org.jetbrains.exposed.v1.core.rowNumber
import org.jetbrains.exposed.v1.jdbc.select
import org.jetbrains.exposed.v1.jdbc.selectAll

/**
 * drf-restflow's PostFetch: related rows of [table] attached to a page of parent rows **after** pagination, in one
 * query per page however many parents there are.
 *
 * [join] pairs a column of [table] with the parent column it references (several pairs for a multi-column join).
 * [values] are the columns read for each attached row. With a [limit], a window function (`ROW_NUMBER() OVER
 * (PARTITION BY the join columns ORDER BY [orderBy])`) keeps the first [limit] rows per parent; without one every
 * related row is attached. Immutable and thread-safe; [fetch] must run inside a transaction. Java builds one with
 * [builder] (or the constructor's overloads).
 */
public class PostFetch @JvmOverloads constructor(
    /** The related table. */
    public val table: Table,
    /** The name the attached value gets in the parent's JSON. */
    public val attachAs: String,
    /** (column of [table], parent column) pairs. */
    public val join: List<Pair<Column<*>, Column<*>>>,
    /** The columns of each attached row. */
    public val values: List<Column<*>>,
    /** The order of attached rows per parent. */
    public val orderBy: List<Pair<Expression<*>, SortOrder>> = emptyList(),
    /** At most this many rows per parent (`1`: an object or `null`), or all of them when `null`. */
    public val limit: Int? = null,
) {
    init {
        require(attachAs.isNotBlank()) { "attachAs must not be blank" }
        require(join.isNotEmpty()) { "PostFetch needs at least one join pair" }
        require(join.all { it.first.table == table }) { "The first column of each join pair must belong to ${table.tableName}" }
        require(values.isNotEmpty()) { "PostFetch needs at least one value column" }
        require(limit == null || limit >= 1) { "limit must be at least 1, got $limit" }
    }

    /** The attached rows of each parent, aligned with [parents] by index; no query for an empty page. */
    public fun fetch(parents: List<ResultRow>): List<List<ResultRow>> {
        if (parents.isEmpty()) return emptyList()
        val keys = parents.map { parent -> join.map { (_, parentColumn) -> unwrap(parent[parentColumn]) } }
        val wanted = keys.distinct()
        val childColumns = join.map { it.first }
        val selected = (values + childColumns).distinct()
        val condition = membership(childColumns, wanted)
        val rows: List<ResultRow> = if (limit == null) {
            table.select(selected).where { condition }.orderBy(*orderBy.toTypedArray()).toList()
        } else {
            val rank = rowNumber().over().partitionBy(*childColumns.toTypedArray()).let { w ->
                if (orderBy.isEmpty()) w else w.orderBy(*orderBy.toTypedArray())
            }.alias("restflow_rank")
            val inner = table.select(selected + rank).where { condition }.alias("restflow_post_fetch")
            inner.selectAll().where { inner[rank] lessEq limit.toLong() }
                .orderBy(inner[rank] to SortOrder.ASC)
                .map { row -> ResultRow.createAndFillValues(selected.associateWith { row[inner[it]] }) }
        }
        val grouped = rows.groupBy { row -> childColumns.map { unwrap(row[it]) } }
        return keys.map { grouped[it].orEmpty() }
    }

    private fun unwrap(value: Any?): Any? = if (value is org.jetbrains.exposed.v1.core.dao.id.EntityID<*>) value.value else value

    @Suppress("UNCHECKED_CAST")
    private fun membership(columns: List<Column<*>>, keys: List<List<Any?>>): Op<Boolean> {
        if (columns.size == 1) {
            val column = columns[0] as Column<Any?>
            return column inList keys.map { wrap(columns[0], it[0]) }
        }
        return OrOp(keys.map { key -> AndOp(columns.mapIndexed { i, c -> EqOp(c, QueryParameter(wrap(c, key[i]) as Any, c.columnType as IColumnType<Any>)) }) })
    }

    @Suppress("UNCHECKED_CAST")
    private fun wrap(column: Column<*>, raw: Any?): Any? {
        val type = column.columnType as? org.jetbrains.exposed.v1.core.EntityIDColumnType<*> ?: return raw
        if (raw == null) return null
        return org.jetbrains.exposed.v1.core.dao.id.EntityID(
            raw as Comparable<Any>, type.idColumn.table as org.jetbrains.exposed.v1.core.dao.id.IdTable<Comparable<Any>>,
        )
    }

    override fun toString(): String = "PostFetch(${table.tableName} as $attachAs, limit=$limit)"

    /** Fluent construction, mainly for Java: `PostFetch.builder(Reviews, "latest_review").join(…).values(…).build()`. */
    public class Builder internal constructor(private val table: Table, private val attachAs: String) {
        private val join = ArrayList<Pair<Column<*>, Column<*>>>()
        private val values = ArrayList<Column<*>>()
        private val orderBy = ArrayList<Pair<Expression<*>, SortOrder>>()
        private var limit: Int? = null

        /** Adds a join pair: [column] of the related table equals [parentColumn] of the parent row. */
        public fun join(column: Column<*>, parentColumn: Column<*>): Builder = apply { join += column to parentColumn }

        /** Adds columns read for each attached row. */
        public fun values(vararg columns: Column<*>): Builder = apply { values += columns }

        /** Appends [expression] in [order] to the order of attached rows per parent. */
        public fun orderBy(expression: Expression<*>, order: SortOrder): Builder = apply { orderBy += expression to order }

        /** At most [value] rows per parent (`1`: an object or `null`); `null` (the default) attaches all of them. */
        public fun limit(value: Int?): Builder = apply { limit = value }

        /** The PostFetch; throws [IllegalArgumentException] as the constructor does. */
        public fun build(): PostFetch = PostFetch(table, attachAs, join.toList(), values.toList(), orderBy.toList(), limit)
    }

    /** Factories. */
    public companion object {
        /** A [Builder] of related rows of [table] attached as [attachAs]. */
        @JvmStatic
        public fun builder(table: Table, attachAs: String): Builder = Builder(table, attachAs)
    }
}
