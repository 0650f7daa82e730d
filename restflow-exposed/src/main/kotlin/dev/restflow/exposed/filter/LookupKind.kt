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
}
