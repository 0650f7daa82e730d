package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table
import java.util.function.Consumer

/**
 * The Java entry point to filter sets:
 *
 * ```java
 * FilterSet products = FilterSets.forTable(Products.INSTANCE)
 *     .field(Products.INSTANCE.getPrice(), "comparison", "range")
 *     .ordering("order_by", o -> o.key("price", Products.INSTANCE.getPrice()))
 *     .build();
 * products.apply(query, params); // params: Map<String, List<String>>
 * ```
 *
 * Lookups are named as in query strings (`"gte"`, `"icontains"`) or by drf-restflow category (`"basic"`, `"text"`,
 * `"comparison"`, `"date"`, `"time"`, `"postgres"`, `"array"`); a name that does not fit the column fails in the
 * call with [IllegalArgumentException].
 */
public object FilterSets {
    /** A builder for a filter set on [table]. */
    @JvmStatic
    public fun forTable(table: Table): Builder = Builder(FilterSetBuilder(table))

    /** The fluent Java builder; not thread-safe, use it on one thread and call [build] once. */
    public class Builder internal constructor(private val b: FilterSetBuilder<Table>) {
        /** A field named after [column] with the base parameter and [lookups] (names or categories). */
        public fun field(column: Column<*>, vararg lookups: String): Builder = fieldNamed(column, column.name, *lookups)

        /** A field named [name] on [column] with the base parameter and [lookups]. */
        public fun fieldNamed(column: Column<*>, name: String, vararg lookups: String): Builder = apply {
            val array = ColumnKind.of(column.columnType) == ColumnKind.ARRAY
            val resolved = lookups.map { requireNotNull(Lookup.resolve(it, array)) { "Unknown lookup '$it'" } }
            b.registry.field<Any>(column, name, emptyList(), currentGroup()) {
                for (group in resolved) for (l in group) addUnchecked(l)
            }
        }

        /** A field on [column] whose lookup [lookup] gets the parameter `<name><separator><alias>`. */
        public fun alias(column: Column<*>, lookup: String, alias: String): Builder = apply {
            val array = ColumnKind.of(column.columnType) == ColumnKind.ARRAY
            val resolved = requireNotNull(Lookup.resolve(lookup, array)?.singleOrNull()) { "Unknown lookup '$lookup'" }
            b.registry.field<Any>(column, column.name, emptyList(), currentGroup()) { addUnchecked(resolved, alias) }
        }

        /** A field for every column of the table except [exclude], with default lookups by type. */
        public fun fromTable(vararg exclude: Column<*>): Builder = apply { b.fromTable(b.table, exclude.toList()) }

        /** A field `<fk prefix>__<column>` on the table [foreignKey] points to, with [lookups]. */
        public fun related(foreignKey: Column<*>, column: Column<*>, vararg lookups: String): Builder = apply {
            val resolved = lookups.map { requireNotNull(Lookup.resolve(it, false)) { "Unknown lookup '$it'" } }
            b.related(foreignKey) {
                require(column.table === table) { "Column $column is not a column of ${table.tableName}" }
                field<Any>(column as Column<Any?>) { for (group in resolved) for (l in group) addUnchecked(l) }
            }
        }

        /** A method filter on a string value, with its `!` twin. */
        public fun method(name: String, filter: FilterMethod<String>): Builder = apply { b.method(name, filter) }

        /** A method filter whose value is parsed as [type]. */
        public fun <V : Any> method(name: String, type: FilterType<V>, filter: FilterMethod<V>): Builder =
            apply { b.method(name, type, filter = filter) }

        /** Filters declared in [group] match when any one of them does. */
        public fun anyOf(group: Consumer<Builder>): Builder = apply { b.anyOf { group.accept(this@Builder) } }

        /** Filters declared in [group] must all match. */
        public fun allOf(group: Consumer<Builder>): Builder = apply { b.allOf { group.accept(this@Builder) } }

        /** The ordering parameter [param] and its keys. */
        public fun ordering(param: String, keys: Consumer<OrderingBuilder>): Builder =
            apply { b.ordering(param) { keys.accept(this) } }

        /** How the set's filters combine. */
        public fun operator(operator: FilterOperator): Builder = apply { b.operator = operator }

        /** Rejects unknown parameters when `true`. */
        public fun strict(strict: Boolean): Builder = apply { b.strict = strict }

        /** Turns `!` negation twins on (default) or off. */
        public fun allowNegate(allow: Boolean): Builder = apply { b.allowNegate = allow }

        /** The field/lookup separator, `__` by default. */
        public fun separator(separator: String): Builder = apply { b.separator = separator }

        /** The list delimiter, `,` by default. */
        public fun listDelimiter(delimiter: Char): Builder = apply { b.listDelimiter = delimiter }

        /** The safety limits. */
        public fun limits(limits: FilterLimits): Builder = apply { b.limits = limits }

        /** The PostgreSQL text-search configuration of `search` lookups. */
        public fun textSearchConfig(config: String?): Builder = apply { b.textSearchConfig = config }

        /** Parameters strict mode accepts although they are not filters. */
        public fun knownParams(vararg names: String): Builder = apply { b.knownParams(*names) }

        /** A cross-field check. */
        public fun validate(validator: FilterValidator): Builder = apply { b.validate(validator) }

        /** A step before filters apply. */
        public fun preprocess(processor: QueryProcessor): Builder = apply { b.preprocess(processor) }

        /** A step after filters and ordering apply. */
        public fun postprocess(processor: QueryProcessor): Builder = apply { b.postprocess(processor) }

        /** The filter set; configuration errors throw [IllegalArgumentException]. */
        public fun build(): FilterSet = b.build()

        private fun currentGroup(): FilterGroup = b.currentGroup
    }
}
