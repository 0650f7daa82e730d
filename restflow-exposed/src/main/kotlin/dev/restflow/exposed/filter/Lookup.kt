package dev.restflow.exposed.filter

/**
 * A lookup a field can offer, named as drf-restflow (and Django) names it: `price__gte`, `name__icontains`.
 *
 * The type parameter says which column values the lookup applies to, so only valid lookups compile:
 * [ICONTAINS] is a `Lookup<String>` and cannot be added to a `Column<Int>`, [GTE] needs a [Comparable] value,
 * [ARRAY_CONTAINS] needs a [List] column. Lookups that depend on the column's SQL type beyond that (date parts on
 * a date or timestamp column) are also checked when the filter set is built.
 *
 * Immutable and shared.
 */
public class Lookup<in V> private constructor(
    /** The lookup's name in parameter names, e.g. `gte` in `price__gte`. */
    public val name: String,
    internal val kind: LookupKind,
    /** The default description, completed by the field name: `"is greater than or equal to"`. */
    public val description: String,
) {
    override fun toString(): String = "Lookup($name)"

    /** Every lookup Restflow knows. */
    public companion object {
        /** Equals (`price__exact=10`); the base parameter `price` means the same. */
        @JvmField public val EXACT: Lookup<Any> = Lookup("exact", LookupKind.EXACT, "equals")

        /** Is one of a comma-separated or repeated list (`id__in=1,2,3`). */
        @JvmField public val IN: Lookup<Any> = Lookup("in", LookupKind.IN, "is one of")

        /** Is (`true`) or is not (`false`) `NULL`. */
        @JvmField public val ISNULL: Lookup<Any> = Lookup("isnull", LookupKind.ISNULL, "is null")

        /** Contains the value, ignoring case; `%`, `_` and `\` match literally. */
        @JvmField public val ICONTAINS: Lookup<String> = Lookup("icontains", LookupKind.ICONTAINS, "contains (case-insensitive)")

        /** Contains the value, case-sensitively. */
        @JvmField public val CONTAINS: Lookup<String> = Lookup("contains", LookupKind.CONTAINS, "contains")

        /** Starts with the value, case-sensitively. */
        @JvmField public val STARTSWITH: Lookup<String> = Lookup("startswith", LookupKind.STARTSWITH, "starts with")

        /** Starts with the value, ignoring case. */
        @JvmField public val ISTARTSWITH: Lookup<String> = Lookup("istartswith", LookupKind.ISTARTSWITH, "starts with (case-insensitive)")

        /** Ends with the value, case-sensitively. */
        @JvmField public val ENDSWITH: Lookup<String> = Lookup("endswith", LookupKind.ENDSWITH, "ends with")

        /** Ends with the value, ignoring case. */
        @JvmField public val IENDSWITH: Lookup<String> = Lookup("iendswith", LookupKind.IENDSWITH, "ends with (case-insensitive)")

        /** Equals the value, ignoring case. */
        @JvmField public val IEXACT: Lookup<String> = Lookup("iexact", LookupKind.IEXACT, "equals (case-insensitive)")

        /** Greater than. */
        @JvmField public val GT: Lookup<Comparable<*>> = Lookup("gt", LookupKind.GT, "is greater than")

        /** Greater than or equal to. */
        @JvmField public val GTE: Lookup<Comparable<*>> = Lookup("gte", LookupKind.GTE, "is greater than or equal to")

        /** Less than. */
        @JvmField public val LT: Lookup<Comparable<*>> = Lookup("lt", LookupKind.LT, "is less than")

        /** Less than or equal to. */
        @JvmField public val LTE: Lookup<Comparable<*>> = Lookup("lte", LookupKind.LTE, "is less than or equal to")

        /** Between two values, both included: `price__range=10,20`. */
        @JvmField public val RANGE: Lookup<Comparable<*>> = Lookup("range", LookupKind.RANGE, "is between (inclusive)")

        /** The date part of a date or timestamp equals an ISO date. */
        @JvmField public val DATE: Lookup<Comparable<*>> = Lookup("date", LookupKind.DATE, "date equals")

        /** The year equals an integer: `created_at__year=2024`. */
        @JvmField public val YEAR: Lookup<Comparable<*>> = Lookup("year", LookupKind.YEAR, "year equals")

        /** The month (1–12) equals an integer. */
        @JvmField public val MONTH: Lookup<Comparable<*>> = Lookup("month", LookupKind.MONTH, "month equals")

        /** The day of the month equals an integer. */
        @JvmField public val DAY: Lookup<Comparable<*>> = Lookup("day", LookupKind.DAY, "day of month equals")

        /** The ISO-8601 week number equals an integer. */
        @JvmField public val WEEK: Lookup<Comparable<*>> = Lookup("week", LookupKind.WEEK, "ISO week number equals")

        /** The day of the week equals an integer, 1 = Sunday … 7 = Saturday (Django's numbering). */
        @JvmField public val WEEK_DAY: Lookup<Comparable<*>> = Lookup("week_day", LookupKind.WEEK_DAY, "day of week equals (1 = Sunday)")

        /** The quarter (1–4) equals an integer. */
        @JvmField public val QUARTER: Lookup<Comparable<*>> = Lookup("quarter", LookupKind.QUARTER, "quarter equals")

        /** The time part of a timestamp or time equals an ISO time. */
        @JvmField public val TIME: Lookup<Comparable<*>> = Lookup("time", LookupKind.TIME, "time equals")

        /** The hour equals an integer. */
        @JvmField public val HOUR: Lookup<Comparable<*>> = Lookup("hour", LookupKind.HOUR, "hour equals")

        /** The minute equals an integer. */
        @JvmField public val MINUTE: Lookup<Comparable<*>> = Lookup("minute", LookupKind.MINUTE, "minute equals")

        /** The whole second equals an integer. */
        @JvmField public val SECOND: Lookup<Comparable<*>> = Lookup("second", LookupKind.SECOND, "second equals")

        /** PostgreSQL full-text search: `to_tsvector(column) @@ plainto_tsquery(value)`. */
        @JvmField public val SEARCH: Lookup<String> = Lookup("search", LookupKind.SEARCH, "matches the full-text search")

        /** PostgreSQL trigram similarity (`pg_trgm`): `column % value`. */
        @JvmField public val TRIGRAM_SIMILAR: Lookup<String> = Lookup("trigram_similar", LookupKind.TRIGRAM_SIMILAR, "is similar to")

        /** PostgreSQL `unaccent(column) = unaccent(value)` (extension `unaccent`). */
        @JvmField public val UNACCENT: Lookup<String> = Lookup("unaccent", LookupKind.UNACCENT, "equals ignoring accents")

        /** PostgreSQL array contains every listed element: `tags__contains=a,b` (`@>`). */
        @JvmField public val ARRAY_CONTAINS: Lookup<List<*>> = Lookup("contains", LookupKind.ARRAY_CONTAINS, "contains all of")

        /** PostgreSQL array shares at least one element with the list (`&&`). */
        @JvmField public val OVERLAP: Lookup<List<*>> = Lookup("overlap", LookupKind.OVERLAP, "contains any of")

        /** PostgreSQL array has only elements of the list (`<@`). */
        @JvmField public val CONTAINED_BY: Lookup<List<*>> = Lookup("contained_by", LookupKind.CONTAINED_BY, "is contained by")

        /**
         * Matches a regular expression, case-sensitively. Never part of a category: a user-supplied pattern can be
         * expensive, so it must be named explicitly.
         */
        @JvmField public val REGEX: Lookup<String> = Lookup("regex", LookupKind.REGEX, "matches the regular expression")

        /** Matches a regular expression, ignoring case; like [REGEX], only when named explicitly. */
        @JvmField public val IREGEX: Lookup<String> = Lookup("iregex", LookupKind.IREGEX, "matches the regular expression (case-insensitive)")

        internal val BASIC: List<Lookup<*>> = listOf(EXACT, IN, ISNULL)
        internal val TEXT: List<Lookup<*>> = listOf(ICONTAINS, CONTAINS, STARTSWITH, ISTARTSWITH, ENDSWITH, IENDSWITH, IEXACT)
        internal val COMPARISON: List<Lookup<*>> = listOf(GT, GTE, LT, LTE)
        internal val DATE_PARTS: List<Lookup<*>> = listOf(DATE, YEAR, MONTH, DAY, WEEK, WEEK_DAY, QUARTER)
        internal val TIME_PARTS: List<Lookup<*>> = listOf(TIME, HOUR, MINUTE, SECOND)
        internal val POSTGRES: List<Lookup<*>> = listOf(SEARCH, TRIGRAM_SIMILAR, UNACCENT)
        internal val ARRAY: List<Lookup<*>> = listOf(ARRAY_CONTAINS, OVERLAP, CONTAINED_BY)

        private val ALL: List<Lookup<*>> =
            BASIC + TEXT + COMPARISON + RANGE + DATE_PARTS + TIME_PARTS + POSTGRES + ARRAY + REGEX + IREGEX

        /** Lookups and categories by the names drf-restflow uses, for string-typed (Java) configuration. */
        internal fun resolve(name: String, arrayColumn: Boolean): List<Lookup<*>>? = when (name) {
            "basic" -> BASIC
            "text" -> TEXT
            "comparison" -> COMPARISON
            "date" -> DATE_PARTS
            "time" -> TIME_PARTS
            "postgres" -> POSTGRES
            "array", "pg_array" -> ARRAY
            "contains" -> listOf(if (arrayColumn) ARRAY_CONTAINS else CONTAINS)
            "overlaps" -> listOf(OVERLAP)
            else -> ALL.firstOrNull { it.name == name && it.kind != LookupKind.ARRAY_CONTAINS }?.let(::listOf)
        }
    }
}
