package dev.restflow.exposed.filter

// The drf-restflow lookup categories, offered only on fields whose value type fits.

/** The `text` category: `icontains`, `contains`, `startswith`, `istartswith`, `endswith`, `iendswith`, `iexact`. */
public fun FieldBuilder<String>.text() {
    for (l in Lookup.TEXT) addUnchecked(l)
}

/** The `comparison` category: `gt`, `gte`, `lt`, `lte`. */
public fun <V : Comparable<*>> FieldBuilder<V>.comparison() {
    for (l in Lookup.COMPARISON) addUnchecked(l)
}

/** The `range` lookup: `price__range=10,20`, both ends included. */
public fun <V : Comparable<*>> FieldBuilder<V>.range() {
    addUnchecked(Lookup.RANGE)
}

/**
 * The `date` category: `date`, `year`, `month`, `day`, `week`, `week_day`, `quarter` (integers, so
 * `?created_at__year=2024` works). Only on date and timestamp columns; checked when the set is built.
 */
public fun <V : Comparable<*>> FieldBuilder<V>.dateParts() {
    for (l in Lookup.DATE_PARTS) addUnchecked(l)
}

/** The `time` category: `time`, `hour`, `minute`, `second`. Only on time and timestamp columns. */
public fun <V : Comparable<*>> FieldBuilder<V>.timeParts() {
    for (l in Lookup.TIME_PARTS) addUnchecked(l)
}

/** The `postgres` category: `search`, `trigram_similar`, `unaccent`. PostgreSQL only. */
public fun FieldBuilder<String>.postgres() {
    for (l in Lookup.POSTGRES) addUnchecked(l)
}

/** The array category: `contains`, `overlap`, `contained_by` on an Exposed array column. PostgreSQL only. */
public fun <V : List<*>> FieldBuilder<V>.array() {
    for (l in Lookup.ARRAY) addUnchecked(l)
}
