package dev.restflow.ktor.serializer

import org.jetbrains.exposed.v1.core.AutoIncColumnType
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.EntityIDColumnType

/** One column's field in a table-derived serializer, as the builder configured it. */
internal class SerializerField(val column: Column<*>, var name: String) {
    var readOnly: Boolean = isAutoIncrement(column)
    var writeOnly: Boolean = false
    var allowBlank: Boolean = false
    var trim: Boolean = true
    var required: Boolean? = null
    var default: (() -> Any?)? = null
    var rules: FieldRules<Any?>? = null

    /** Required on create and full update: not nullable, no default anywhere, not read-only (DRF's ModelSerializer rule). */
    val isRequired: Boolean
        get() = required ?: (!readOnly && !column.columnType.nullable && default == null &&
            column.defaultValueFun == null && column.defaultValueInDb() == null && !isAutoIncrement(column))

    companion object {
        fun isAutoIncrement(column: Column<*>): Boolean {
            val type = column.columnType
            return type is AutoIncColumnType<*> || (type is EntityIDColumnType<*> && type.idColumn.columnType is AutoIncColumnType<*> && column.table == type.idColumn.table)
        }

        /** The default field name: the SQL name, without `_id` for references (`category_id` → `category`, as Django names it). */
        fun defaultName(column: Column<*>): String {
            val type = column.columnType
            val isReference = type is EntityIDColumnType<*> && column.referee != null && column.referee != column
            return if (isReference && column.name.endsWith("_id") && column.name.length > 3) column.name.removeSuffix("_id") else column.name
        }
    }
}
