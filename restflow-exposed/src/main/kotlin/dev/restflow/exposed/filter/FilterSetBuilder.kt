package dev.restflow.exposed.filter

import dev.restflow.RestflowDsl
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table

/**
 * Builds a [FilterSet] for [table]; see [filterSet]. Settings may be given in any order: parameter names are
 * resolved when the block ends, and configuration errors (a lookup that does not fit its column, a duplicate
 * parameter name, an unknown default ordering key) fail there with [IllegalArgumentException].
 *
 * Not thread-safe; used only inside the DSL block.
 */
@RestflowDsl
public class FilterSetBuilder<T : Table> internal constructor(
    /** The table filtered; its primary key is the ordering tie-breaker. */
    public val table: T,
) {
    internal val registry = FieldRegistry()
    private var groupCount = 1
    internal val root = FilterGroup(FilterOperator.AND, 0)
    private var current = root
    internal val currentGroup: FilterGroup get() = current
    internal var ordering: OrderingBuilder? = null
    internal val validators = ArrayList<FilterValidator>()
    internal val preprocessors = ArrayList<QueryProcessor>()
    internal val postprocessors = ArrayList<QueryProcessor>()
    internal val extraKnown = LinkedHashSet<String>()

    /** How the filters of the whole set combine (default [FilterOperator.AND]); groups have their own. */
    public var operator: FilterOperator = FilterOperator.AND

    /** When `true`, an unknown parameter fails with "Unknown query parameter." instead of being ignored. */
    public var strict: Boolean = false

    /** When `false`, no `!` negation twins are created (a field may still turn its own on). */
    public var allowNegate: Boolean = true

    /** The separator between field and lookup names, `__` by default. */
    public var separator: String = "__"

    /** The delimiter of list values (`?id__in=1,2,3`), `,` by default. */
    public var listDelimiter: Char = ','

    /** The safety limits, [FilterLimits.DEFAULT] unless replaced. */
    public var limits: FilterLimits = FilterLimits.DEFAULT

    /** The PostgreSQL text-search configuration of `search` lookups (e.g. `english`); `null` uses the server default. */
    public var textSearchConfig: String? = null

    /**
     * A field on [column], with parameters `name`, `name__<lookup>` for the lookups declared in [block], and their
     * `!` twins. [V] is the column's value type (nullable columns included), so only valid lookups compile.
     */
    public fun <V : Any> field(column: Column<out V?>, name: String = column.name, block: FieldBuilder<V>.() -> Unit = {}) {
        registry.field(column, name, emptyList(), current, block)
    }

    /**
     * A field for every column of [table] (this set's table by default) except [exclude], named after the column,
     * with drf-restflow's default lookups for its type. Fields declared explicitly with the same name win.
     */
    public fun fromTable(table: Table = this.table, exclude: Collection<Column<*>> = emptyList()) {
        registry.fromTable(table, exclude, "", emptyList(), current)
    }

    /** Fields of the table [foreignKey] points to, named `<prefix>__<field>` (prefix: the column name without `_id`). */
    public fun related(foreignKey: Column<*>, prefix: String = defaultRelatedPrefix(foreignKey), block: RelatedFilterBuilder.() -> Unit) {
        FieldRegistry.requireName(prefix)
        val target = requireNotNull(foreignKey.referee) { "Column $foreignKey is not a foreign key (no reference)" }
        RelatedFilterBuilder(target.table, prefix + "__", listOf(foreignKey), registry, current).block()
    }

    /** A method filter on a string value: `method("q") { value -> (Products.name like "%$value%") }`, with a `q!` twin. */
    public fun method(name: String, filter: FilterMethod<String>) {
        method(name, FilterType.STRING, filter = filter)
    }

    /** A method filter whose value is parsed as [type] first (errors keyed by [name]). */
    @Suppress("UNCHECKED_CAST")
    public fun <V : Any> method(
        name: String,
        type: FilterType<V>,
        required: Boolean = false,
        description: String? = null,
        filter: FilterMethod<V>,
    ) {
        FieldRegistry.requireName(name)
        registry.methods += MethodSpec(name, type, filter as FilterMethod<Any>, required, description, null, current)
    }

    /** A group whose filters match when any one of them does; the group joins the enclosing combination. */
    public fun anyOf(block: FilterSetBuilder<T>.() -> Unit) {
        group(FilterOperator.OR, block)
    }

    /** A group whose filters must all match; useful inside [anyOf] or in an `OR` set. */
    public fun allOf(block: FilterSetBuilder<T>.() -> Unit) {
        group(FilterOperator.AND, block)
    }

    private fun group(operator: FilterOperator, block: FilterSetBuilder<T>.() -> Unit) {
        val group = FilterGroup(operator, groupCount++)
        current.children += group
        val outer = current
        current = group
        try {
            block()
        } finally {
            current = outer
        }
    }

    /** The ordering parameter ([param], `order_by` by default) and its keys. */
    public fun ordering(param: String = "order_by", block: OrderingBuilder.() -> Unit) {
        FieldRegistry.requireName(param)
        check(ordering == null) { "ordering { } is declared twice" }
        ordering = OrderingBuilder(param).apply(block)
    }

    /** A cross-field check run after all values parsed. */
    public fun validate(validator: FilterValidator) {
        validators += validator
    }

    /** A step run on the query before filters apply (only for valid requests). */
    public fun preprocess(processor: QueryProcessor) {
        preprocessors += processor
    }

    /** A step run on the query after filters and ordering apply (only for valid requests). */
    public fun postprocess(processor: QueryProcessor) {
        postprocessors += processor
    }

    /**
     * Parameters that are not filters but are known to the endpoint, so strict mode accepts them. `page`,
     * `page_size`, `limit`, `offset`, `cursor`, `format` and the ordering parameter are always known.
     */
    public fun knownParams(vararg names: String) {
        extraKnown += names
    }

    internal fun build(): FilterSet {
        root.operator = operator
        return FilterSetCompiler(this, groupCount).compile()
    }
}

/**
 * Builds a filter set for [table]:
 *
 * ```
 * val productFilter = filterSet(Products) {
 *     field(Products.name) { text() }
 *     field(Products.price) { comparison(); range() }
 *     ordering("order_by") { key("price", Products.price) }
 * }
 * ```
 *
 * The result is immutable and thread-safe; build it once and share it. Configuration mistakes throw
 * [IllegalArgumentException] here, never at request time.
 */
public fun <T : Table> filterSet(table: T, block: FilterSetBuilder<T>.() -> Unit): FilterSet =
    FilterSetBuilder(table).apply(block).build()

/** [filterSet] for a table `object`: `filterSet<Products> { ... }`. */
public inline fun <reified T : Table> filterSet(noinline block: FilterSetBuilder<T>.() -> Unit): FilterSet {
    val table = requireNotNull(T::class.objectInstance) {
        "filterSet<${T::class.simpleName}> needs a table object; pass a table instance with filterSet(table) { }"
    }
    return filterSet(table, block)
}
