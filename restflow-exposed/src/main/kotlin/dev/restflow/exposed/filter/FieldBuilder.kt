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
    internal var required = false
    internal var description: String? = null
    internal var separator: String? = null
    internal var allowNegate: Boolean? = null

    /** Adds [lookup] as `name__<lookup>`, or as `name<separator><alias>`, with optional [help] text. */
    @JvmOverloads
    public fun lookup(lookup: Lookup<V>, alias: String? = null, help: String? = null) {
        require(alias == null || alias.isNotBlank()) { "A lookup alias must not be blank" }
        lookups.removeAll { it.lookup === lookup && it.alias == alias }
        lookups += LookupSpec(lookup, alias, help)
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

    internal fun addUnchecked(lookup: Lookup<*>, alias: String? = null, help: String? = null) {
        lookups.removeAll { it.lookup === lookup && it.alias == alias }
        lookups += LookupSpec(lookup, alias, help)
    }

    internal fun toSpec(path: List<Column<*>>, group: FilterGroup): FieldSpec =
        FieldSpec(column, name, separator, lookups.toList(), custom, required, description, allowNegate, path, group)
}
