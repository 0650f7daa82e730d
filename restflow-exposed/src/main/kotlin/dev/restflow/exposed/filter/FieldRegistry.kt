package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table

/** What the set builder and related-field builders share: declared fields in declaration order. */
internal class FieldRegistry {
    val fields = ArrayList<FieldSpec>()
    val methods = ArrayList<MethodSpec>()

    fun <V : Any> field(column: Column<*>, name: String, path: List<Column<*>>, group: FilterGroup, block: FieldBuilder<V>.() -> Unit) {
        requireName(name)
        val builder = FieldBuilder<V>(column, name)
        builder.block()
        fields += builder.toSpec(path, group)
    }

    fun fromTable(table: Table, exclude: Collection<Column<*>>, prefix: String, path: List<Column<*>>, group: FilterGroup) {
        for (column in table.columns) {
            if (exclude.any { it === column }) continue
            // Columns without a value parser (customEnumeration, JSON, binary…) need an explicit field or method.
            if (ValueParser.forColumn(column.columnType) == null) continue
            val builder = FieldBuilder<Any>(column, prefix + column.name)
            for (l in defaultLookups(column)) builder.addUnchecked(l)
            fields += FieldSpec(
                column, builder.name, null, builder.lookups.toList(), null, null, false, null, null, path, group, derived = true,
            )
        }
    }

    companion object {
        fun requireName(name: String) {
            require(name.isNotEmpty() && name.none { it == '!' || it == '=' || it == '&' || it.isWhitespace() }) {
                "Invalid filter name '$name'"
            }
        }

        /** The lookups `fromTable` gives a column, by type, as drf-restflow's defaults. */
        fun defaultLookups(column: Column<*>): List<Lookup<*>> {
            val kind = ColumnKind.of(column.columnType)
            return when (kind) {
                ColumnKind.TEXT -> Lookup.BASIC + Lookup.TEXT
                ColumnKind.DATE -> Lookup.BASIC + Lookup.COMPARISON + Lookup.DATE_PARTS
                ColumnKind.DATETIME, ColumnKind.INSTANT, ColumnKind.OFFSET_DATETIME ->
                    Lookup.BASIC + Lookup.COMPARISON + Lookup.DATE_PARTS + Lookup.TIME_PARTS
                ColumnKind.TIME -> Lookup.BASIC + Lookup.COMPARISON + Lookup.TIME_PARTS
                ColumnKind.ARRAY -> Lookup.ARRAY
                ColumnKind.BOOLEAN, ColumnKind.UUID, ColumnKind.ENUM, ColumnKind.OTHER -> Lookup.BASIC
                else -> if (kind.isNumeric || kind == ColumnKind.DURATION) Lookup.BASIC + Lookup.COMPARISON else Lookup.BASIC
            }
        }
    }
}
