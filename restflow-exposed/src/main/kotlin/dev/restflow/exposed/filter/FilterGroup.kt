package dev.restflow.exposed.filter

/** A node of the combination tree: the set itself, or an `anyOf { }` / `allOf { }` group inside it. */
internal class FilterGroup(var operator: FilterOperator, val index: Int) {
    val children: MutableList<FilterGroup> = ArrayList(2)
}
