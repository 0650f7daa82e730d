package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.Expression
import org.jetbrains.exposed.v1.core.Op
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.jdbc.Query

/** The outcome of [FilterSet.parse]: the conditions and ordering to apply, or the validation errors. */
public sealed class FilterResult {
    /** Every parameter was valid. Immutable; [applyTo] may be called on any number of queries. */
    public class Valid internal constructor(
        /** The combined condition, or `null` when no filter applies. */
        public val where: Op<Boolean>?,
        /** The ordering to apply, tie-breaker included; empty when the set declares no ordering. */
        public val orderBy: List<Pair<Expression<*>, SortOrder>>,
        private val set: FilterSet,
    ) : FilterResult() {
        /**
         * Runs the set's preprocessors, adds [where] to [query] (`AND`-ed with its existing condition), appends
         * [orderBy], runs the postprocessors, and returns the query (Exposed queries are changed in place).
         *
         * @throws IllegalStateException when the set uses PostgreSQL lookups and the current transaction's database
         *   is not PostgreSQL (a configuration error, independent of the request).
         */
        public fun applyTo(query: Query): Query = set.applyValid(query, this)

        override fun toString(): String = "FilterResult.Valid(where=${where != null}, orderBy=${orderBy.size})"
    }

    /** Some parameter was invalid; nothing was applied. */
    public class Invalid internal constructor(
        /** Messages by parameter name, as in [FilterValidationException.errors]. */
        public val errors: Map<String, List<String>>,
    ) : FilterResult() {
        /** The exception [FilterSet.apply] throws for this result. */
        public fun toException(): FilterValidationException = FilterValidationException(errors)

        override fun toString(): String = "FilterResult.Invalid($errors)"
    }
}
