package dev.restflow.ktor.error

import dev.restflow.RestflowDsl

/**
 * Exception mappings for the error envelope, configured in `install(Restflow) { errors { … } }`.
 *
 * The most specific registered class wins (a mapping for `IOException` handles `FileNotFoundException` unless one is
 * registered for it); [ApiException] and Ktor's own exceptions are mapped already.
 */
@RestflowDsl
public class ErrorsConfig internal constructor() {
    internal val mappers: LinkedHashMap<Class<out Throwable>, ExceptionMapper<Throwable>> = linkedMapOf()

    /** Maps exceptions of [type] (and its subclasses) with [mapper]. A later call for the same type replaces it. */
    public fun <T : Throwable> exception(type: Class<T>, mapper: ExceptionMapper<T>): ErrorsConfig = apply {
        @Suppress("UNCHECKED_CAST")
        mappers[type] = mapper as ExceptionMapper<Throwable>
    }

    /** Maps exceptions of type [T] (and its subclasses) with [mapper]. */
    @JvmSynthetic
    public inline fun <reified T : Throwable> exception(mapper: ExceptionMapper<T>): ErrorsConfig =
        exception(T::class.java, mapper)

    /** The mapper for [cause]'s nearest registered superclass, or `null`. */
    internal fun mapperFor(cause: Throwable): ExceptionMapper<Throwable>? {
        var type: Class<*>? = cause.javaClass
        while (type != null) {
            mappers[type]?.let { return it }
            type.interfaces.forEach { iface -> mappers[iface]?.let { return it } }
            type = type.superclass
        }
        return null
    }
}
