package dev.restflow.ktor.serializer

import dev.restflow.ktor.error.ApiException
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject

/** The body of a write must be a JSON object; DRF's message otherwise. */
internal object BodyShape {
    fun requireObject(body: JsonElement): JsonObject = body as? JsonObject
        ?: throw ApiException.validation(
            mapOf(FieldErrors.NON_FIELD_ERRORS to listOf("Invalid data. Expected a dictionary, but got ${JsonColumnCodec.typeName(body)}.")),
        )
}
