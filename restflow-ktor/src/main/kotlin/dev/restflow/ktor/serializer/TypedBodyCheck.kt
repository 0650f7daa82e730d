package dev.restflow.ktor.serializer

import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.descriptors.PolymorphicKind
import kotlinx.serialization.descriptors.PrimitiveKind
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.descriptors.SerialKind
import kotlinx.serialization.descriptors.StructureKind
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Checks a JSON body against a `@Serializable` class's descriptor before decoding, so that every problem is reported
 * with DRF's messages under its field path (nested objects nested, list items by index) instead of the decoder's
 * first exception.
 */
@OptIn(ExperimentalSerializationApi::class)
internal object TypedBodyCheck {
    fun check(obj: JsonObject, descriptor: SerialDescriptor, partial: Boolean, strict: Boolean, errors: FieldErrors) {
        val names = (0 until descriptor.elementsCount).map(descriptor::getElementName)
        if (strict) obj.keys.filter { it !in names }.forEach { errors.add(it, TableSerializer.UNKNOWN_FIELD) }
        for (i in 0 until descriptor.elementsCount) {
            val name = names[i]
            val element = descriptor.getElementDescriptor(i)
            val json = obj[name]
            if (json == null) {
                if (!partial && !descriptor.isElementOptional(i)) errors.add(name, JsonColumnCodec.REQUIRED)
                continue
            }
            value(json, element, partial, strict)?.let { problem ->
                when (problem) {
                    is String -> errors.add(name, problem)
                    is FieldErrors -> errors.nest(name, problem)
                }
            }
        }
    }

    /** A message, nested errors, or `null` when [json] fits [descriptor]. */
    private fun value(json: JsonElement, descriptor: SerialDescriptor, partial: Boolean, strict: Boolean): Any? {
        if (json is JsonNull) return if (descriptor.isNullable) null else JsonColumnCodec.NOT_NULL
        return when (val kind = descriptor.kind) {
            PrimitiveKind.INT, PrimitiveKind.LONG, PrimitiveKind.SHORT, PrimitiveKind.BYTE ->
                if (json is JsonPrimitive && !json.isString && json.content.toLongOrNull() != null) {
                    rangeProblem(json.content.toLong(), kind)
                } else {
                    JsonColumnCodec.INVALID_INTEGER
                }
            PrimitiveKind.DOUBLE, PrimitiveKind.FLOAT ->
                if (json is JsonPrimitive && !json.isString && json.content.toDoubleOrNull() != null) null else JsonColumnCodec.INVALID_NUMBER
            PrimitiveKind.BOOLEAN ->
                if (json is JsonPrimitive && !json.isString && (json.content == "true" || json.content == "false")) null else JsonColumnCodec.INVALID_BOOLEAN
            PrimitiveKind.STRING, PrimitiveKind.CHAR ->
                if (json is JsonPrimitive && (json.isString || json.content.toDoubleOrNull() != null)) {
                    if ('\u0000' in json.content) JsonColumnCodec.NUL else null
                } else {
                    JsonColumnCodec.INVALID_STRING
                }
            SerialKind.ENUM -> {
                val choices = (0 until descriptor.elementsCount).map(descriptor::getElementName)
                val text = (json as? JsonPrimitive)?.content
                if (text != null && text in choices) null else "\"${(text ?: json.toString()).take(100)}\" is not a valid choice."
            }
            StructureKind.CLASS, StructureKind.OBJECT -> {
                if (json !is JsonObject) return "Invalid data. Expected a dictionary, but got ${JsonColumnCodec.typeName(json)}."
                val nested = FieldErrors()
                check(json, descriptor, partial = false, strict = strict, errors = nested)
                nested.takeIf { it.isNotEmpty() }
            }
            StructureKind.LIST -> {
                if (json !is JsonArray) return "Expected a list of items but got type \"${JsonColumnCodec.typeName(json)}\"."
                val item = descriptor.getElementDescriptor(0)
                val nested = FieldErrors()
                json.forEachIndexed { index, element ->
                    when (val problem = value(element, item, partial = false, strict = strict)) {
                        is String -> nested.add(index.toString(), problem)
                        is FieldErrors -> nested.nest(index.toString(), problem)
                    }
                }
                nested.takeIf { it.isNotEmpty() }
            }
            StructureKind.MAP -> if (json is JsonObject) null else "Expected a dictionary of items but got type \"${JsonColumnCodec.typeName(json)}\"."
            is PolymorphicKind, SerialKind.CONTEXTUAL -> null
            else -> null
        }
    }

    private fun rangeProblem(value: Long, kind: SerialKind): String? {
        val (min, max) = when (kind) {
            PrimitiveKind.INT -> Int.MIN_VALUE.toLong() to Int.MAX_VALUE.toLong()
            PrimitiveKind.SHORT -> Short.MIN_VALUE.toLong() to Short.MAX_VALUE.toLong()
            PrimitiveKind.BYTE -> Byte.MIN_VALUE.toLong() to Byte.MAX_VALUE.toLong()
            else -> return null
        }
        return when {
            value < min -> "Ensure this value is greater than or equal to $min."
            value > max -> "Ensure this value is less than or equal to $max."
            else -> null
        }
    }
}
