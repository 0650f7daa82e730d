package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.Op

/**
 * Turns one validated parameter value into a condition: the body of `method("q") { value -> ... }` and of a field's
 * `filterBy { value -> ... }`.
 *
 * Called on the thread applying the filter set, once per request that sends the parameter with a non-empty value;
 * it must not run SQL itself. An exception it throws propagates to the caller of [FilterSet.apply] unchanged (it is a
 * programming error, not a validation failure); to reject a value, use [FilterSetBuilder.validate].
 */
public fun interface FilterMethod<in V> {
    /** The condition for [value]; negation (`q!`) is applied by the filter set around it. */
    public fun filter(value: V): Op<Boolean>
}
