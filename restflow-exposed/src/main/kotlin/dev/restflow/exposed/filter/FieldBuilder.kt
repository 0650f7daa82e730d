package dev.restflow.exposed.filter

import dev.restflow.RestflowDsl
import org.jetbrains.exposed.v1.core.Column

/**
 * Declares the lookups of one field: `field(Products.price) { comparison(); lookup(Lookup.LTE, alias = "max") }`.
 *
 * The base parameter (`price`, exact match) always exists; each lookup adds `price__<lookup>` (or
 * `price<separator><alias>`), and every parameter gets a `!` negation twin unless negation is off. [V] is the
 * column's value type, so only lookups valid for it compile. Not thread-safe; used only inside the DSL block.
 */
@RestflowDsl
public class FieldBuilder<V : Any> internal constructor(
    internal val column: Column<*>,
    internal val name: String,
) {
    internal val lookups = ArrayList<LookupSpec>()
    internal var custom: FilterMethod<Any>? = null
    internal var choices: Map<String, Any>? = null
    internal var required = false
    internal var description: String? = null
    internal var separator: String? = null
    internal var allowNegate: Boolean? = null

    /** Adds [lookup] as `name__<lookup>`, or as `name<separator><alias>`, with optional [help] text. */
    @JvmOverloads
    public fun lookup(lookup: Lookup<V>, alias: String? = null, help: String? = null) {
        addUnchecked(lookup, alias, help)
    }

    /**
     * Adds a date or time [part] followed by the lookup [then], as Django chains them: `lookup(Lookup.YEAR, Lookup.GTE)`
     * gives `created_at__year__gte=2020`. [then] is one of `exact`, `in`, `gt`, `gte`, `lt`, `lte`, `range` and
     * compares the part's value (an integer, or a date for `date`, a time for `time`); [alias] replaces the whole
     * suffix (`created_at__since_year`).
     */
    @JvmOverloads
    public fun lookup(part: Lookup<V>, then: Lookup<Comparable<*>>, alias: String? = null, help: String? = null) {
        addUnchecked(part, alias, help, then)
    }

    /** Adds each of [lookups] under its own name. */
    public fun lookups(vararg lookups: Lookup<V>) {
        for (l in lookups) lookup(l)
    }

    /** The `basic` category: `exact`, `in`, `isnull`. */
    public fun basic() {
        for (l in Lookup.BASIC) addUnchecked(l)
    }

    /**
     * Replaces the base parameter's exact match by [filter], which receives the value parsed and validated as the
     * column's type (`filterBy { v -> Products.price greaterEq v }`).
     */
    @Suppress("UNCHECKED_CAST")
    public fun filterBy(filter: FilterMethod<V>) {
        custom = filter as FilterMethod<Any>
    }

    /**
     * Restricts every value of this field to [values], sent by their [label] (an enum's name by default, otherwise
     * `toString()`); anything else fails with `"z" is not a valid choice.`, and the values are listed as the
     * parameter's `enum` in descriptions. Required on `customEnumeration` columns (Exposed keeps no enum class for
     * them); on other columns it narrows the accepted values.
     */
    @JvmOverloads
    public fun choices(values: Iterable<V>, label: (V) -> String = ::choiceLabel) {
        val byLabel = LinkedHashMap<String, Any>()
        for (v in values) {
            val name = label(v)
            require(byLabel.put(name, v) == null) { "Duplicate choice '$name' on field '${this.name}'" }
        }
        require(byLabel.isNotEmpty()) { "choices(...) on field '${this.name}' declares no value" }
        choices = byLabel
    }

    /** Makes the base parameter required: a request without it (or its `!` twin) fails with "This field is required.". */
    public fun required() {
        required = true
    }

    /** The description of the base parameter (default "`name` equals"). */
    public fun description(text: String) {
        description = text
    }

    /** The separator between the field name and the lookup for this field only (default: the set's, `__`). */
    public fun separator(separator: String) {
        require(separator.isNotEmpty() && separator.none { it == '!' || it == '=' || it == '&' }) {
            "Invalid separator '$separator'"
        }
        this.separator = separator
    }

    /** Turns the `!` negation twins of this field on or off (default: the set's setting). */
    public fun allowNegate(allow: Boolean) {
        allowNegate = allow
    }

    internal fun addUnchecked(lookup: Lookup<*>, alias: String? = null, help: String? = null, then: Lookup<*>? = null) {
        require(alias == null || alias.isNotBlank()) { "A lookup alias must not be blank" }
        if (then != null) {
            require(lookup.kind.isPart) {
                "Lookup '${lookup.name}' on field '$name' is not a date or time part; only date, year, month, day, " +
                    "week, week_day, quarter, time, hour, minute and second take a further lookup"
            }
            require(then.kind.followsPart) {
                "Lookup '${then.name}' cannot follow '${lookup.name}' on field '$name'; use exact, in, gt, gte, lt, lte or range"
            }
        }
        val spec = LookupSpec(lookup, alias, help, then)
        lookups.removeAll { it.sameAs(spec) }
        lookups += spec
    }

    internal fun toSpec(path: List<Column<*>>, group: FilterGroup): FieldSpec =
        FieldSpec(column, name, separator, lookups.toList(), custom, choices, required, description, allowNegate, path, group)
}

/** The wire name of a choice: an enum's name, otherwise its string form. */
internal fun choiceLabel(value: Any?): String = if (value is Enum<*>) value.name else value.toString()
