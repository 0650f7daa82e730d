package dev.restflow.ktor.openapi

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** Small helpers to build the document's JSON trees. */
internal object Js {
    fun obj(vararg pairs: Pair<String, Any?>): JsonObject {
        val map = LinkedHashMap<String, JsonElement>()
        for ((k, v) in pairs) if (v != null) map[k] = of(v)
        return JsonObject(map)
    }

    fun of(value: Any?): JsonElement = when (value) {
        null -> JsonNull
        is JsonElement -> value
        is String -> JsonPrimitive(value)
        is Number -> JsonPrimitive(value)
        is Boolean -> JsonPrimitive(value)
        is Map<*, *> -> JsonObject(value.entries.associate { (k, v) -> k.toString() to of(v) })
        is Iterable<*> -> JsonArray(value.map(::of))
        else -> JsonPrimitive(value.toString())
    }

    fun ref(kind: String, name: String): JsonObject = obj("\$ref" to "#/components/$kind/$name")

    /** [schema] also allowing `null` (OpenAPI 3.1: a type array, `null` in an enum, or `oneOf` with a reference). */
    fun nullable(schema: JsonObject): JsonObject {
        val type = schema["type"]
        val out = LinkedHashMap(schema)
        when {
            type is JsonPrimitive -> out["type"] = JsonArray(listOf(type, JsonPrimitive("null")))
            type is JsonArray -> if (JsonPrimitive("null") !in type) out["type"] = JsonArray(type + JsonPrimitive("null"))
            else -> return obj("oneOf" to listOf(schema, obj("type" to "null")))
        }
        (out["enum"] as? JsonArray)?.let { if (JsonNull !in it) out["enum"] = JsonArray(it + JsonNull) }
        return JsonObject(out)
    }
}
