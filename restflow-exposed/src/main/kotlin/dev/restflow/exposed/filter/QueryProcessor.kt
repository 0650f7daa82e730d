package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.jdbc.Query

/**
 * A step run on the query before ([FilterSetBuilder.preprocess]) or after ([FilterSetBuilder.postprocess]) the
 * filters and the ordering are applied, e.g. to add a join or a scope. Runs only when validation succeeded.
 */
public fun interface QueryProcessor {
    /** The query to continue with; may be [query] itself, changed in place. */
    public fun process(query: Query): Query
}
