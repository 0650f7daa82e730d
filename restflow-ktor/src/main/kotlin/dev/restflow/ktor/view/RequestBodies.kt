package dev.restflow.ktor.view

import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.error.ErrorMessages
import dev.restflow.ktor.error.ExceptionTranslator
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.server.application.ApplicationCall
import io.ktor.server.request.contentType
import io.ktor.server.request.receiveText
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject

/**
 * Reads the body as JSON: an empty body is `{}` (so required fields are reported, as DRF does); a body of another
 * media type is 415; malformed JSON is 400 `parse_error`.
 */
internal suspend fun ApplicationCall.receiveJsonElement(): JsonElement {
    val text = receiveText()
    if (text.isBlank()) return JsonObject(emptyMap())
    val type = runCatching { request.contentType() }.getOrNull()
    val isJson = type != null && (type.match(ContentType.Application.Json) ||
        (type.contentType == "application" && type.contentSubtype.endsWith("+json")))
    if (!isJson) throw ExceptionTranslator.unsupportedMediaType(request.headers[HttpHeaders.ContentType])
    return try {
        Json.parseToJsonElement(text)
    } catch (e: SerializationException) {
        throw ApiException.parseError(ErrorMessages.sanitize(e.message))
    }
}
