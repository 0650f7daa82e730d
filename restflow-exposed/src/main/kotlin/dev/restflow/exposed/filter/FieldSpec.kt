package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.Column

/**
 * A lookup as declared on a field: which one, under which suffix, with which help text; [then] is the lookup
 * applied to a date or time part ([lookup]) instead of equality, as in `created_at__year__gte`.
 */
internal class LookupSpec(val lookup: Lookup<*>, val alias: String?, val help: String?, val then: Lookup<*>? = null) {
    /** The suffix after the field name and separator: the alias, or `year`, or `year<separator>gte`. */
    fun suffix(separator: String): String = alias ?: (lookup.name + (then?.let { separator + it.name } ?: ""))

    fun sameAs(other: LookupSpec): Boolean = lookup === other.lookup && alias == other.alias && then === other.then
}

/** A field as declared, before parameter names are resolved (that needs the set-wide settings). */
internal class FieldSpec(
    val column: Column<*>,
    val name: String,
    val separator: String?,
    val lookups: List<LookupSpec>,
    val custom: FilterMethod<Any>?,
    /** Allowed values by their wire name (`choices(...)`), or `null` to parse by column type. */
    val choices: Map<String, Any>?,
    val required: Boolean,
    val description: String?,
    val allowNegate: Boolean?,
    /** Foreign keys from the set's table to the column's table, outermost first (related fields). */
    val path: List<Column<*>>,
    val group: FilterGroup,
    /** Created by `fromTable`: an explicit field of the same name wins. */
    val derived: Boolean = false,
)

/** A method filter as declared. */
internal class MethodSpec(
    val name: String,
    val type: FilterType<*>,
    val filter: FilterMethod<Any>,
    val required: Boolean,
    val description: String?,
    val allowNegate: Boolean?,
    val group: FilterGroup,
)
