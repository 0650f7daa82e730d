package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.Column

/** A lookup as declared on a field: which one, under which suffix, with which help text. */
internal class LookupSpec(val lookup: Lookup<*>, val alias: String?, val help: String?)

/** A field as declared, before parameter names are resolved (that needs the set-wide settings). */
internal class FieldSpec(
    val column: Column<*>,
    val name: String,
    val separator: String?,
    val lookups: List<LookupSpec>,
    val custom: FilterMethod<Any>?,
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
