package dev.restflow.exposed.invalidation

/**
 * A rule's `whenRow` condition: whether a change to [ChangedRow] makes the rule's entries stale. Reading a column
 * the change did not capture counts as "may match" (the rule fires).
 */
public fun interface RowCondition {
    /** `true` when the rule should fire for [row]. */
    public fun test(row: ChangedRow): Boolean
}
