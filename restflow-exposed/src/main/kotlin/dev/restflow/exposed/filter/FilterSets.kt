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
 * Lookups are named as in query strings (`"gte"`, `"icontains"`, `"year__gte"`) or by drf-restflow category
 * (`"basic"`, `"text"`, `"comparison"`, `"date"`, `"time"`, `"postgres"`, `"array"`), or given as [Lookup] constants;
 * a lookup that does not fit the column fails in the call with [IllegalArgumentException]. Anything more (aliases,
 * help, choices, required, a custom filter) goes through [Builder.field] with a [FieldOptions] consumer.
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
        public fun fieldNamed(column: Column<*>, name: String, vararg lookups: String): Builder =
            fieldNamed(column, name) { it.lookups(*lookups) }

        /** A field named after [column] with the base parameter and the lookups [first] and [more]. */
        public fun field(column: Column<*>, first: Lookup<*>, vararg more: Lookup<*>): Builder =
            fieldNamed(column, column.name) { it.lookups(first, *more) }

        /** A field named after [column], configured by [options] (lookups, aliases, choices, required…). */
        public fun field(column: Column<*>, options: Consumer<FieldOptions>): Builder = fieldNamed(column, column.name, options)

        /** A field named [name] on [column], configured by [options]. */
        public fun fieldNamed(column: Column<*>, name: String, options: Consumer<FieldOptions>): Builder = apply {
            b.registry.field<Any>(column, name, emptyList(), currentGroup()) { options.accept(FieldOptions(this)) }
        }

        /** A field on [column] whose lookup [lookup] gets the parameter `<name><separator><alias>`. */
        public fun alias(column: Column<*>, lookup: String, alias: String): Builder = field(column) { it.alias(lookup, alias) }

        /** A field for every column of the table except [exclude], with default lookups by type. */
        public fun fromTable(vararg exclude: Column<*>): Builder = apply { b.fromTable(b.table, exclude.toList()) }

        /** A field `<fk prefix>__<column>` on the table [foreignKey] points to, with [lookups]. */
        public fun related(foreignKey: Column<*>, column: Column<*>, vararg lookups: String): Builder =
            related(foreignKey, column) { it.lookups(*lookups) }

        /** A field `<fk prefix>__<column>` on the table [foreignKey] points to, configured by [options]. */
        @Suppress("UNCHECKED_CAST")
        public fun related(foreignKey: Column<*>, column: Column<*>, options: Consumer<FieldOptions>): Builder = apply {
            b.related(foreignKey) {
                require(column.table === table) { "Column $column is not a column of ${table.tableName}" }
                field<Any>(column as Column<Any?>) { options.accept(FieldOptions(this)) }
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

    /**
     * The options of one field, for Java: what Kotlin's `field(column) { ... }` block offers. Lookups are checked
     * against the column's type when the set is built. Not thread-safe; use it only inside the consumer.
     */
    public class FieldOptions internal constructor(private val f: FieldBuilder<Any>) {
        private val array = ColumnKind.of(f.column.columnType) == ColumnKind.ARRAY

        /** Adds lookups or categories by name: `"gte"`, `"text"`, `"year__gte"` (a part followed by a lookup). */
        public fun lookups(vararg names: String): FieldOptions = apply {
            for (name in names) for ((lookup, then) in resolve(name)) f.addUnchecked(lookup, then = then)
        }

        /** Adds [lookups] under their own names. */
        public fun lookups(vararg lookups: Lookup<*>): FieldOptions = apply { for (l in lookups) f.addUnchecked(l) }

        /** Adds [lookup] as `<name><separator><alias>`, with [help] text for its description (or `null`). */
        @JvmOverloads
        public fun alias(lookup: Lookup<*>, alias: String, help: String? = null): FieldOptions =
            apply { f.addUnchecked(lookup, alias, help) }

        /** Adds the lookup named [lookup] (`"lte"`, `"year__gte"`) as `<name><separator><alias>`. */
        public fun alias(lookup: String, alias: String): FieldOptions = apply {
            val (l, then) = requireNotNull(resolve(lookup).singleOrNull()) { "'$lookup' is a category, not one lookup" }
            f.addUnchecked(l, alias, then = then)
        }

        /** Adds the date or time [part] followed by [then]: `part(Lookup.YEAR, Lookup.GTE)` → `created_at__year__gte`. */
        public fun part(part: Lookup<*>, then: Lookup<*>): FieldOptions = apply { f.addUnchecked(part, then = then) }

        /** Restricts values to [values], sent by enum name or `toString()`. */
        public fun choices(values: Collection<*>): FieldOptions = apply {
            f.choices(values.map { requireNotNull(it) { "A choice must not be null" } })
        }

        /** Replaces the base parameter's exact match by [filter], which receives the parsed value. */
        public fun filterBy(filter: FilterMethod<Any>): FieldOptions = apply { f.filterBy(filter) }

        /** Makes the base parameter required. */
        public fun required(): FieldOptions = apply { f.required() }

        /** The description of the base parameter. */
        public fun description(text: String): FieldOptions = apply { f.description(text) }

        /** The field/lookup separator for this field. */
        public fun separator(separator: String): FieldOptions = apply { f.separator(separator) }

        /** Turns this field's `!` twins on or off. */
        public fun allowNegate(allow: Boolean): FieldOptions = apply { f.allowNegate(allow) }

        private fun resolve(name: String): List<Pair<Lookup<*>, Lookup<*>?>> {
            Lookup.resolve(name, array)?.let { found -> return found.map { it to null } }
            val cut = name.lastIndexOf("__")
            if (cut > 0) {
                val part = Lookup.resolve(name.substring(0, cut), array)?.singleOrNull()
                val then = Lookup.resolve(name.substring(cut + 2), array)?.singleOrNull()
                if (part != null && then != null) return listOf(part to then)
            }
            throw IllegalArgumentException("Unknown lookup '$name'")
        }
    }
}
