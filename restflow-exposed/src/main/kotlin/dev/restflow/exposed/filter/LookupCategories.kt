package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.dao.id.EntityID

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
 *
 * Each lookup in [then] is also added after every part, as Django chains them: `dateParts(Lookup.GTE, Lookup.IN)`
 * adds `created_at__year__gte`, `created_at__month__in`, `created_at__date__gte` and so on.
 */
public fun <V : Comparable<*>> FieldBuilder<V>.dateParts(vararg then: Lookup<Comparable<*>>) {
    for (l in Lookup.DATE_PARTS) {
        addUnchecked(l)
        for (t in then) addUnchecked(l, then = t)
    }
}

/**
 * The `time` category: `time`, `hour`, `minute`, `second`. Only on time and timestamp columns. Lookups in [then]
 * follow every part, as in [dateParts]: `created_at__hour__lt=12`.
 */
public fun <V : Comparable<*>> FieldBuilder<V>.timeParts(vararg then: Lookup<Comparable<*>>) {
    for (l in Lookup.TIME_PARTS) {
        addUnchecked(l)
        for (t in then) addUnchecked(l, then = t)
    }
}

/** The `postgres` category: `search`, `trigram_similar`, `unaccent`. PostgreSQL only. */
public fun FieldBuilder<String>.postgres() {
    for (l in Lookup.POSTGRES) addUnchecked(l)
}

/** The array category: `contains`, `overlap`, `contained_by` on an Exposed array column. PostgreSQL only. */
public fun <V : List<*>> FieldBuilder<V>.array() {
    for (l in Lookup.ARRAY) addUnchecked(l)
}

/** The `comparison` category on an `EntityID` column (ids compare as their values): `category__gte=3`. */
@JvmName("comparisonOfIds")
public fun <V : Comparable<V>> FieldBuilder<EntityID<V>>.comparison() {
    for (l in Lookup.COMPARISON) addUnchecked(l)
}

/** The `range` lookup on an `EntityID` column. */
@JvmName("rangeOfIds")
public fun <V : Comparable<V>> FieldBuilder<EntityID<V>>.range() {
    addUnchecked(Lookup.RANGE)
}

/** A lookup valid for an `EntityID`'s value (`gte` on an `Int` id), as `name__<lookup>` or `name<separator><alias>`. */
@JvmName("lookupOfIds")
public fun <V : Comparable<V>> FieldBuilder<EntityID<V>>.lookup(lookup: Lookup<V>, alias: String? = null, help: String? = null) {
    addUnchecked(lookup, alias, help)
}
