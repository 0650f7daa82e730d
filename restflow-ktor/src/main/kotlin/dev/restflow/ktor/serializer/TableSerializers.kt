package dev.restflow.ktor.serializer

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.Table
import java.util.function.Consumer
import java.util.function.Function

/**
 * Java: builds a [TableSerializer] fluently —
 * `TableSerializers.forTable(Books.INSTANCE).readOnly(Books.INSTANCE.getPublished()).rename(col, "in_stock").build()`.
 * Kotlin code uses [serializer].
 */
public class TableSerializers private constructor(table: Table) {
    private val builder = TableSerializerBuilder(table)

    /** See [TableSerializerBuilder.fields]. */
    public fun fields(vararg columns: Column<*>): TableSerializers = apply { builder.fields(*columns) }

    /** See [TableSerializerBuilder.exclude]. */
    public fun exclude(vararg columns: Column<*>): TableSerializers = apply { builder.exclude(*columns) }

    /** See [TableSerializerBuilder.readOnly]. */
    public fun readOnly(vararg columns: Column<*>): TableSerializers = apply { builder.readOnly(*columns) }

    /** See [TableSerializerBuilder.writeOnly]. */
    public fun writeOnly(vararg columns: Column<*>): TableSerializers = apply { builder.writeOnly(*columns) }

    /** See [TableSerializerBuilder.rename]. */
    public fun rename(column: Column<*>, name: String): TableSerializers = apply { builder.rename(column, name) }

    /** See [TableSerializerBuilder.allowBlank]. */
    public fun allowBlank(vararg columns: Column<*>): TableSerializers = apply { builder.allowBlank(*columns) }

    /** See [TableSerializerBuilder.strict]. */
    public fun strict(strict: Boolean): TableSerializers = apply { builder.strict = strict }

    /** Adds rules for [column]: `.validate(Books.INSTANCE.getTitle(), r -> r.length(new IntRange(1, 200)))`. */
    public fun <T> validate(column: Column<T>, rules: Consumer<FieldRules<T>>): TableSerializers =
        apply { builder.validate(column) { rules.accept(this) } }

    /** See [TableSerializerBuilder.computed]. */
    public fun computed(name: String, compute: Function<ResultRow, Any?>): TableSerializers =
        apply { builder.computed(name) { compute.apply(it) } }

    /** The serializer. */
    public fun build(): TableSerializer = builder.build()

    public companion object {
        /** A builder for a serializer of [table]'s columns. */
        @JvmStatic
        public fun forTable(table: Table): TableSerializers = TableSerializers(table)
    }
}
