package dev.restflow.ktor

import io.ktor.util.AttributeKey
import io.ktor.util.reflect.TypeInfo

/**
 * An attribute key whose type information is only the class [T], without its `KType`.
 *
 * Ktor's `AttributeKey(name)` records `typeOf<T>()`, and the key's `hashCode` hashes that type on every attribute
 * lookup; with kotlin-reflect on the classpath (Exposed brings it) that walks the reflected type each time. Restflow
 * reads and writes its keys several times per call, so its keys carry the class alone, which hashes cheaply and still
 * tells keys of one name but different classes apart.
 */
internal inline fun <reified T : Any> restflowKey(name: String): AttributeKey<T> = AttributeKey(name, TypeInfo(T::class, null))
