package dev.restflow.exposed.filter

/** What a lookup does, independent of its wire name. */
internal enum class LookupKind(val takesList: Boolean = false, val postgresOnly: Boolean = false) {
    EXACT, IN(takesList = true), ISNULL,
    ICONTAINS, CONTAINS, STARTSWITH, ISTARTSWITH, ENDSWITH, IENDSWITH, IEXACT,
    GT, GTE, LT, LTE, RANGE(takesList = true),
    DATE, YEAR, MONTH, DAY, WEEK, WEEK_DAY, QUARTER,
    TIME, HOUR, MINUTE, SECOND,
    SEARCH(postgresOnly = true), TRIGRAM_SIMILAR(postgresOnly = true), UNACCENT(postgresOnly = true),
    ARRAY_CONTAINS(takesList = true),
    OVERLAP(takesList = true),
    CONTAINED_BY(takesList = true, postgresOnly = true),
    REGEX, IREGEX,
    ;

    /** A date or time part (`year`, `date`, `hour`…): compares a part of the value, and may take a further lookup. */
    val isPart: Boolean get() = this in PARTS

    /** A lookup that may follow a part: `created_at__year__gte`. */
    val followsPart: Boolean get() = this in AFTER_PART

    companion object {
        private val PARTS = setOf(DATE, YEAR, MONTH, DAY, WEEK, WEEK_DAY, QUARTER, TIME, HOUR, MINUTE, SECOND)
        private val AFTER_PART = setOf(EXACT, IN, GT, GTE, LT, LTE, RANGE)
    }
}
