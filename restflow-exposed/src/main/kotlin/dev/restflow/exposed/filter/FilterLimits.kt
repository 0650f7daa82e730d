package dev.restflow.exposed.filter

/**
 * Safety limits applied before any value is parsed (RELIABILITY R-20); going over any of them is a validation
 * error, never a slow query.
 *
 * Immutable; build one with the constructor (`FilterLimits(maxParams = 20)`) or take [DEFAULT].
 */
public class FilterLimits @JvmOverloads constructor(
    /** At most this many distinct query parameters, not counting pagination, ordering and format ones. */
    public val maxParams: Int = 50,
    /** At most this many values in one parameter (repeats and comma-separated pieces together). */
    public val maxListValues: Int = 500,
    /** At most this many characters in one value. */
    public val maxValueLength: Int = 1_000,
) {
    init {
        require(maxParams > 0) { "maxParams must be positive, was $maxParams" }
        require(maxListValues > 0) { "maxListValues must be positive, was $maxListValues" }
        require(maxValueLength > 0) { "maxValueLength must be positive, was $maxValueLength" }
    }

    override fun toString(): String =
        "FilterLimits(maxParams=$maxParams, maxListValues=$maxListValues, maxValueLength=$maxValueLength)"

    /** The defaults. */
    public companion object {
        /** 50 parameters, 500 values in a list, 1,000 characters a value. */
        @JvmField
        public val DEFAULT: FilterLimits = FilterLimits()
    }
}
