package dev.restflow.ktor.view

import dev.restflow.ktor.restflowKey
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.error.ErrorCodes
import dev.restflow.ktor.error.ExceptionTranslator
import io.ktor.http.BadContentTypeFormatException
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.parseAndSortHeader
import io.ktor.server.application.ApplicationCall
import io.ktor.util.AttributeKey

/** The media type the call's response is rendered as, chosen from the action's `produces` by the `Accept` header. */
internal val ResponseType: AttributeKey<ContentType> = restflowKey("restflow.view.responseType")

/**
 * Per-action media types: what request bodies an action parses ([consumes]) and what it renders ([produces]), in
 * order of preference. `application/json` for both by default.
 */
internal object MediaTypes {
    val JSON: List<ContentType> = listOf(ContentType.Application.Json)

    /** Whether [type] is JSON (`application/json` or a `+json` type), which the standard actions read and write. */
    fun isJson(type: ContentType): Boolean =
        type.match(ContentType.Application.Json) || (type.contentType == "application" && type.contentSubtype.endsWith("+json"))

    /**
     * The type of [produces] that the `Accept` header value [header] prefers (quality order; any type → the first),
     * or throws 406 `not_acceptable`.
     */
    fun choose(header: String, produces: List<ContentType>): ContentType {
        val accepted = runCatching { parseAndSortHeader(header) }.getOrDefault(emptyList()).filter { it.quality > 0.0 }
            .mapNotNull { runCatching { ContentType.parse(it.value) }.getOrNull() }
        return accepted.firstNotNullOfOrNull { pattern -> produces.firstOrNull { it.match(pattern) } } ?: throw notAcceptable()
    }

    /**
     * Refuses a request body whose `Content-Type` is none of [consumes] (or missing) with 415
     * `unsupported_media_type`; a call without a body passes.
     */
    fun checkBody(call: ApplicationCall, consumes: List<ContentType>) {
        val headers = call.request.headers
        val length = headers[HttpHeaders.ContentLength]?.trim()?.toLongOrNull()
        val hasBody = if (length != null) length > 0 else headers[HttpHeaders.TransferEncoding] != null
        if (!hasBody) return
        val raw = headers[HttpHeaders.ContentType]
        val type = try {
            raw?.let(ContentType::parse)
        } catch (_: BadContentTypeFormatException) {
            null
        }
        if (type == null || consumes.none { type.match(it.withoutParameters()) }) throw ExceptionTranslator.unsupportedMediaType(raw)
    }

    fun notAcceptable(): ApiException =
        ApiException(HttpStatusCode.NotAcceptable, ErrorCodes.NOT_ACCEPTABLE, "Could not satisfy the request Accept header.")
}
