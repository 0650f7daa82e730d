package dev.restflow.exposed.invalidation

import org.jetbrains.exposed.v1.core.Column

/**
 * The column values change capture knows for one changed row, as a rule's `whenRow` condition sees them: for an
 * insert, the values given (and generated ids); for an update or delete, the values its `where` pins; for a DAO
 * write, the entity id. Entity ids are plain values (`5`, not `EntityID(5)`): read them with [value].
 *
 * Reading a column the change did not capture does not fail the condition: the rule then treats the row as
 * "may match" and fires, so a condition never hides a change it cannot see.
 */
public class ChangedRow internal constructor(private val values: Map<Column<*>, Any?>) {
    /** The value of [column]; a column the change did not capture makes the whole condition "may match". */
    @Suppress("UNCHECKED_CAST")
    public operator fun <T> get(column: Column<T>): T = value(column) as T

    /** The plain value of [column] (entity ids unwrapped); see [get] for columns that were not captured. */
    public fun value(column: Column<*>): Any? {
        if (column !in values) throw NotCaptured
        return values[column]
    }

    /** Whether the change captured [column] for this row. */
    public fun has(column: Column<*>): Boolean = column in values

    override fun toString(): String = values.entries.joinToString(prefix = "ChangedRow(", postfix = ")") { "${it.key.name}=${it.value}" }

    /** Thrown by reads of uncaptured columns and caught by the rule: no stack trace, never seen by callers. */
    internal object NotCaptured : RuntimeException("column not captured", null, false, false) {
        private fun readResolve(): Any = NotCaptured
    }
}
