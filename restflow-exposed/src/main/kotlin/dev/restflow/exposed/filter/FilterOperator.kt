package dev.restflow.exposed.filter

/** How the filters of a set (or of a group) combine: every one, any one, or an odd number of them. */
public enum class FilterOperator {
    /** Every applied filter must match (the default). */
    AND,

    /** At least one applied filter must match. */
    OR,

    /** An odd number of the applied filters must match (SQL `XOR` semantics, as Django's `Q ^ Q`). */
    XOR,
}
