package dev.restflow.ktor.view

import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.server.application.ApplicationCall
import java.util.concurrent.ConcurrentHashMap

/**
 * Content negotiation for one action: chooses the response type from [produces] by the call's `Accept` header (none
 * → the first) and records it on the call ([ResponseType]), or throws 406 `not_acceptable`.
 *
 * Clients send the same few `Accept` values over and over, so the choice for each value is remembered (up to
 * [MAX_REMEMBERED] values per action, after which new values are parsed every time): parsing and sorting a header
 * costs more than the rest of the guard of an open route.
 */
internal class Negotiator(private val produces: List<ContentType>) {
    private val chosen = ConcurrentHashMap<String, ContentType>()

    fun negotiate(call: ApplicationCall): ContentType {
        val values = call.request.headers.getAll(HttpHeaders.Accept)
        val header = if (values == null || values.size == 1) values?.firstOrNull() else values.joinToString(",")
        val type = if (header.isNullOrBlank()) produces.first() else chosen[header] ?: MediaTypes.choose(header, produces).also {
            if (chosen.size < MAX_REMEMBERED) chosen[header] = it
        }
        call.attributes.put(ResponseType, type)
        return type
    }

    private companion object {
        const val MAX_REMEMBERED = 64
    }
}
