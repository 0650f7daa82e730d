package dev.restflow.ktor.error

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** Converts plain JVM values (maps, lists, strings, numbers, booleans) into JSON for error details. */
internal object JsonValues {
    fun of(value: Any?): JsonElement = when (value) {
        null -> JsonNull
        is JsonElement -> value
        is String -> JsonPrimitive(value)
        is Boolean -> JsonPrimitive(value)
        is Number -> JsonPrimitive(value)
        is Char -> JsonPrimitive(value.toString())
        is Enum<*> -> JsonPrimitive(value.name)
        is Map<*, *> -> JsonObject(value.entries.associate { (k, v) -> k.toString() to of(v) })
        is Iterable<*> -> JsonArray(value.map(::of))
        is Array<*> -> JsonArray(value.map(::of))
        else -> JsonPrimitive(value.toString())
    }

    fun objectOf(map: Map<String, Any?>): JsonObject = JsonObject(map.mapValues { (_, v) -> of(v) })
}
