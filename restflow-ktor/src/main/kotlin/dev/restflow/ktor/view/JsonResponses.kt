package dev.restflow.ktor.view

import io.ktor.http.ContentType
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.content.OutgoingContent
import io.ktor.http.content.TextContent
import io.ktor.http.withCharset
import io.ktor.server.application.ApplicationCall
import io.ktor.server.request.httpMethod
import io.ktor.server.response.respond
import kotlinx.serialization.json.JsonElement

private val JSON_UTF8 = ContentType.Application.Json.withCharset(Charsets.UTF_8)

/** Answers [body] as JSON (the negotiated JSON type, `application/json` by default) with [status]; for `HEAD` the same headers (including `Content-Length`) and no body. */
internal suspend fun ApplicationCall.respondJsonElement(body: JsonElement, status: HttpStatusCode = HttpStatusCode.OK) {
    respondJsonText(body.toString(), status)
}

/** [respondJsonElement] for JSON already rendered as [text]. */
internal suspend fun ApplicationCall.respondJsonText(text: String, status: HttpStatusCode = HttpStatusCode.OK) {
    val type = attributes.getOrNull(ResponseType)?.takeIf(MediaTypes::isJson)?.withCharset(Charsets.UTF_8) ?: JSON_UTF8
    if (request.httpMethod == HttpMethod.Head) {
        val length = text.toByteArray(Charsets.UTF_8).size.toLong()
        respond(object : OutgoingContent.NoContent() {
            override val status: HttpStatusCode = status
            override val contentType: ContentType = type
            override val contentLength: Long = length
        })
    } else {
        respond(TextContent(text, type, status))
    }
}
