package dev.restflow

/**
 * The one DSL marker of every Restflow builder (filter sets, cache keys, viewsets, settings, ...).
 *
 * Placed on builder classes, never on functions, so that a nested builder block cannot call a member of an
 * enclosing builder by accident: inside `ordering { }` the enclosing `filterSet { }` is out of reach unless
 * named explicitly with `this@filterSet`.
 */
@DslMarker
@Target(AnnotationTarget.CLASS, AnnotationTarget.TYPEALIAS, AnnotationTarget.TYPE)
@Retention(AnnotationRetention.BINARY)
public annotation class RestflowDsl
