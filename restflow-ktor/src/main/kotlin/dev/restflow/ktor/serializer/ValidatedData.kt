package dev.restflow.ktor.serializer

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IdTable
import org.jetbrains.exposed.v1.core.statements.UpdateBuilder

/**
 * Validated column values of one request body, ready to write; hooks may read and change them (e.g. set the
 * owner to the caller) before the write.
 *
 * [input] is the decoded request object for typed serializers (`null` for table-derived ones). [provided] names the
 * body's fields that were present (for `PATCH`). Not thread-safe: it belongs to one call.
 */
public class ValidatedData internal constructor(
    values: Map<Column<*>, Any?>,
    /** The decoded request object of a typed serializer, or `null`. */
    public val input: Any? = null,
    /** The names of the fields present in the body. */
    public val provided: Set<String> = emptySet(),
) {
    private val values = LinkedHashMap(values)

    /** The columns that will be written. */
    public val columns: Set<Column<*>> get() = values.keys

    /** Whether [column] will be written. */
    public operator fun contains(column: Column<*>): Boolean = column in values

    /** The value [column] will be written with, or `null` when it is not written (or written as null). */
    @Suppress("UNCHECKED_CAST")
    public operator fun <T> get(column: Column<T>): T? = values[column] as T?

    /** Writes [value] to [column] as well (or instead of the body's value). */
    public operator fun <T> set(column: Column<T>, value: T) {
        values[column] = value
    }

    /** Writes the row id [id] to the reference column [column], e.g. `data.setId(Products.owner, userId)`. */
    public fun <ID : Any> setId(column: Column<EntityID<ID>>, id: ID) {
        @Suppress("UNCHECKED_CAST")
        val table = (column.referee?.table ?: column.table) as IdTable<ID>
        values[column] = EntityID(id, table)
    }

    /** Stops [column] from being written. */
    public fun remove(column: Column<*>) {
        values.remove(column)
    }

    /** Puts every value into [statement] (an insert or update). */
    public fun applyTo(statement: UpdateBuilder<*>) {
        for ((column, value) in values) {
            @Suppress("UNCHECKED_CAST")
            statement[column as Column<Any?>] = value
        }
    }

    /** The values as a map, for logging and tests. */
    public fun toMap(): Map<Column<*>, Any?> = LinkedHashMap(values)
}
