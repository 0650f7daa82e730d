package dev.restflow.exposed.invalidation

import kotlinx.serialization.Serializable

/**
 * What one rule resolved for one commit: either the whole target ([whole], a namespace flush or
 * `invalidateAll`), or the mapped values of each changed row in [args] (partition name → value as text, `null` for
 * SQL `NULL`). Plain data: it is encoded with its [InvalidationBatch] and applied, possibly in another process, by
 * the rule's [rule] name.
 */
@Serializable
public data class InvalidationWork(
    /** The rule's stable name. */
    public val rule: String,
    /** Whether the whole target goes (the rows could not be told, or a queue was full and the work was widened). */
    public val whole: Boolean,
    /** The mapped values of each changed row, deduplicated; empty when [whole]. */
    public val args: List<Map<String, String?>> = emptyList(),
) {
    /** This work flushing its whole target. */
    public fun widened(): InvalidationWork = if (whole) this else InvalidationWork(rule, true)
}
