package dev.restflow.exposed.invalidation

import dev.restflow.exposed.change.ChangeKind
import dev.restflow.exposed.change.TableChange
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table

/**
 * Which cache entries a committed change to [table] makes stale, and how to drop them. Build it with
 * [invalidateOn] (Kotlin) or [InvalidationRuleBuilder.on] (Java); apply it with an [InvalidationRegistry].
 *
 * Gates, in drf-restflow's order, for each change to [table]:
 * 1. create gate: inserts fire only with [onCreate];
 * 2. watch gate: an update fires only when it sets one of [watch] (any column when empty);
 * 3. condition: only rows for which [condition] holds fire; a row whose condition reads a column the change did
 *    not capture "may match" and fires; a change whose rows are unknown fires whole;
 * 4. mapping: each firing row's [mapping] columns give the target's partition values. A row with a [requiredArgs]
 *    value that is SQL `NULL` is skipped (drf-restflow's `require_args`); a mapped column the change did not
 *    capture, an update setting a mapped column, or rows that cannot be told widen the work to the whole target.
 *
 * Immutable.
 */
public class InvalidationRule internal constructor(
    /** A stable name, the same in every process (logs, status, durable dispatch). Unique within a registry. */
    public val name: String,
    /** The table watched. */
    public val table: Table,
    /** What goes stale. */
    public val target: InvalidationTarget,
    /** Partition names → the columns giving their values; for a namespace target the single name `partition`. */
    public val mapping: Map<String, Column<*>>,
    /** The mapped names whose value must not be `NULL` for a row to fire. */
    public val requiredArgs: Set<String>,
    /** Columns an update must set to fire; empty: any. */
    public val watch: Set<Column<*>>,
    /** Whether inserts fire the rule. */
    public val onCreate: Boolean,
    /** The row condition, or `null` for every row. */
    public val condition: RowCondition?,
    /** Whether a cached function's entry is recomputed after its partition is dropped (when its args are known). */
    public val rewarm: Boolean,
    /** The dispatcher's name, or `null` for the registry's default. */
    public val dispatcher: String?,
    /** Whether the rule's work joins the commit's single batch for its dispatcher. */
    public val batch: Boolean,
    /** Whether a failure of this rule's work is raised (`null`: the dispatcher's, then the registry's setting). */
    public val raiseException: Boolean?,
) {
    /** The namespace of a namespace target (compatibility with the first rules), else the function's. */
    public val namespace: String
        get() = when (target) {
            is InvalidationTarget.Namespace -> target.namespace
            is InvalidationTarget.Function -> target.function.key.namespace
            is InvalidationTarget.Custom -> ""
        }

    /** The work [change] makes for this rule, or `null` when a gate stops it. */
    internal fun workOf(change: TableChange): InvalidationWork? {
        if (change.table != table) return null
        if (change.kind == ChangeKind.INSERT && !onCreate) return null
        if (change.kind == ChangeKind.UPDATE && watch.isNotEmpty() && change.changedColumns.none { it in watch }) return null
        if (change.wholeTable) return InvalidationWork(name, whole = true)
        val rows = if (condition == null) change.rows else change.rows.filter(::mayMatch)
        if (rows.isEmpty()) return null
        if (mapping.isEmpty()) return InvalidationWork(name, whole = true)
        if (change.kind != ChangeKind.INSERT && mapping.values.any { it in change.changedColumns }) {
            return InvalidationWork(name, whole = true) // the old values are unknown
        }
        val args = LinkedHashSet<Map<String, String?>>()
        for (row in rows) {
            val values = LinkedHashMap<String, String?>(mapping.size)
            for ((arg, column) in mapping) {
                if (column !in row) return InvalidationWork(name, whole = true)
                values[arg] = row[column]?.toString()
            }
            if (requiredArgs.any { values[it] == null }) continue
            args += values
        }
        if (args.isEmpty()) return null
        return InvalidationWork(name, whole = false, args.toList())
    }

    private fun mayMatch(row: Map<Column<*>, Any?>): Boolean = try {
        condition!!.test(ChangedRow(row))
    } catch (_: ChangedRow.NotCaptured) {
        true
    }

    override fun toString(): String = "InvalidationRule($name: ${table.tableName} → ${target.description}" +
        (if (mapping.isEmpty()) "" else " by " + mapping.entries.joinToString { "${it.key}=${it.value.name}" }) + ")"
}
