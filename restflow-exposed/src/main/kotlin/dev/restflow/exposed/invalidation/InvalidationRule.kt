package dev.restflow.exposed.invalidation

import dev.restflow.RestflowDsl
import dev.restflow.exposed.change.ChangeKind
import dev.restflow.exposed.change.TableChange
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table

/**
 * Which cache entries a committed change to [table] makes stale: the partition of [namespace] named by the value of
 * [partitionColumn] in each changed row, or the whole namespace when the rows cannot be told (a bulk `update` on
 * a range, a change of the partition column itself) or no partition column is set. Build it with [invalidateOn].
 *
 * Gates, in drf-restflow's order: inserts fire only with [onCreate]; an update fires only when it sets one of
 * [watch] (any column when empty). Immutable.
 */
public class InvalidationRule internal constructor(
    /** A stable name, the same in every process (logs, status, durable dispatch). */
    public val name: String,
    /** The table watched. */
    public val table: Table,
    /** The cache namespace whose entries go stale. */
    public val namespace: String,
    /** The column whose value is the partition (`Products.id` → partition `"5"`), or `null` for the namespace. */
    public val partitionColumn: Column<*>?,
    /** Columns an update must set to fire; empty: any. */
    public val watch: Set<Column<*>>,
    /** Whether inserts fire the rule. */
    public val onCreate: Boolean,
) {
    /** What [change] makes stale under this rule, or `null` when a gate stops it. */
    internal fun targetsOf(change: TableChange): Targets? {
        if (change.table != table) return null
        if (change.kind == ChangeKind.INSERT && !onCreate) return null
        if (change.kind == ChangeKind.UPDATE && watch.isNotEmpty() && change.changedColumns.none { it in watch }) return null
        val column = partitionColumn ?: return Targets.Namespace
        if (change.wholeTable || (change.kind != ChangeKind.INSERT && column in change.changedColumns)) return Targets.Namespace
        val partitions = LinkedHashSet<String>()
        for (row in change.rows) {
            if (column !in row) return Targets.Namespace
            partitions += row[column].toString()
        }
        return Targets.Partitions(partitions)
    }

    override fun toString(): String = "InvalidationRule($name: ${table.tableName} → $namespace" +
        (partitionColumn?.let { " by ${it.name}" } ?: "") + ")"

    internal sealed class Targets {
        object Namespace : Targets()
        class Partitions(val values: Set<String>) : Targets()
    }
}

/** Declares an [InvalidationRule]; see [invalidateOn]. Not thread-safe; DSL use only. */
@RestflowDsl
public class InvalidationRuleBuilder internal constructor(private val table: Table) {
    private var namespace: String? = null
    private var partitionColumn: Column<*>? = null
    private val watch = LinkedHashSet<Column<*>>()

    /** Whether inserts fire the rule (default true: a new row can change lists and counts). */
    public var onCreate: Boolean = true

    /** The cache namespace whose entries go stale (a response cache's `namespace`, a cached function's). */
    public fun namespace(name: String) {
        require(name.isNotEmpty()) { "A namespace must not be empty" }
        namespace = name
    }

    /** The column whose value in each changed row names the stale partition. */
    public fun partition(column: Column<*>) {
        require(column.table == table) { "Column $column is not a column of ${table.tableName}" }
        partitionColumn = column
    }

    /** Updates fire the rule only when they set one of [columns]. */
    public fun watch(vararg columns: Column<*>) {
        for (c in columns) require(c.table == table) { "Column $c is not a column of ${table.tableName}" }
        watch += columns
    }

    /** The rule, named [name] or `<table>-><namespace>`. */
    internal fun build(name: String?): InvalidationRule {
        val ns = requireNotNull(namespace) { "Rule ${name ?: "on ${table.tableName}"} needs namespace(...)" }
        return InvalidationRule(name ?: "${table.tableName}->$ns", table, ns, partitionColumn, watch.toSet(), onCreate)
    }
}

/**
 * A rule making cache entries stale when [table] changes:
 *
 * ```
 * val productPages = invalidateOn(Products) { namespace("products"); partition(Products.id) }
 * val reviewedProducts = invalidateOn(Reviews, "reviews→products") { namespace("products"); partition(Reviews.product) }
 * ```
 *
 * [name] must be stable across processes (default `<table>→<namespace>`).
 */
public fun invalidateOn(table: Table, name: String? = null, block: InvalidationRuleBuilder.() -> Unit): InvalidationRule =
    InvalidationRuleBuilder(table).apply(block).build(name)
