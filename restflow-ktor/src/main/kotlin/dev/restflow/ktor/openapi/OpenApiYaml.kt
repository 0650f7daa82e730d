package dev.restflow.ktor.openapi

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * YAML text of a JSON tree, in block style. Every string and key is written as a double-quoted JSON string (a valid
 * YAML 1.2 double-quoted scalar), so no value can be misread as a number, boolean, null or YAML syntax.
 */
internal object OpenApiYaml {
    fun write(element: JsonElement): String = buildString {
        when (element) {
            is JsonObject, is JsonArray -> if (isEmpty(element)) append(inline(element)).append('\n') else block(element, 0)
            else -> append(inline(element)).append('\n')
        }
    }

    private fun isEmpty(e: JsonElement) = (e is JsonObject && e.isEmpty()) || (e is JsonArray && e.isEmpty())

    private fun inline(e: JsonElement): String = when (e) {
        is JsonObject -> "{}"
        is JsonArray -> "[]"
        JsonNull -> "null"
        is JsonPrimitive -> if (e.isString) Json.encodeToString(JsonPrimitive.serializer(), e) else e.content
    }

    private fun StringBuilder.block(e: JsonElement, indent: Int) {
        val pad = " ".repeat(indent)
        when (e) {
            is JsonObject -> for ((key, value) in e) {
                append(pad).append(inline(JsonPrimitive(key))).append(':')
                if (value is JsonObject && value.isNotEmpty() || value is JsonArray && value.isNotEmpty()) {
                    append('\n')
                    block(value, indent + 2)
                } else {
                    append(' ').append(inline(value)).append('\n')
                }
            }
            is JsonArray -> for (value in e) {
                append(pad).append('-')
                if (value is JsonObject && value.isNotEmpty() || value is JsonArray && value.isNotEmpty()) {
                    append('\n')
                    block(value, indent + 2)
                } else {
                    append(' ').append(inline(value)).append('\n')
                }
            }
            else -> append(pad).append(inline(e)).append('\n')
        }
    }
}
