package dev.restflow.ktor.error

import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.content.TextContent
import io.ktor.http.withCharset
import io.ktor.server.application.ApplicationCall
import io.ktor.server.response.respond

private val UNSETTABLE = setOf(HttpHeaders.ContentType.lowercase(), HttpHeaders.ContentLength.lowercase(), HttpHeaders.TransferEncoding.lowercase())

/** The envelope of [error] as outgoing content, with its status. */
internal fun envelopeContent(error: ApiException): TextContent =
    TextContent(error.toEnvelope().toJson(), ContentType.Application.Json.withCharset(Charsets.UTF_8), error.status)

/** Adds [error]'s headers to the response, skipping names already present and ones the engine owns. */
internal fun ApplicationCall.appendErrorHeaders(error: ApiException) {
    for ((name, values) in error.headers) {
        if (name.lowercase() in UNSETTABLE || response.headers.contains(name)) continue
        values.forEach { response.headers.append(name, it) }
    }
}

/**
 * Answers [error] in the error envelope, with its status and headers — the same as throwing it, for handlers
 * that prefer not to throw.
 */
public suspend fun ApplicationCall.respondError(error: ApiException) {
    appendErrorHeaders(error)
    respond(envelopeContent(error))
}
