package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.Op

/** One accepted parameter name, resolved at build time: everything a request needs is precomputed here. */
internal class ParamDef(
    val name: String,
    /** The field (or method filter) name, for `required` bookkeeping and descriptions. */
    val field: String,
    val lookup: String?,
    val negated: Boolean,
    val list: Boolean,
    /** Exactly two elements (`__range`). */
    val pair: Boolean,
    val parser: ValueParser,
    val group: FilterGroup,
    val description: String,
    val build: (Any) -> Op<Boolean>,
)
