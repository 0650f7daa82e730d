package dev.restflow.ktor.request

import dev.restflow.ktor.restflowKey
import io.ktor.server.application.ApplicationCall
import io.ktor.util.AttributeKey
import java.util.UUID

internal val RequestIdKey: AttributeKey<String> = restflowKey("restflow.requestId")

private val SAFE_ID = Regex("[A-Za-z0-9._:-]{1,128}")

/**
 * The id of this request: the client's request-id header (`X-Request-Id` unless `restflow.request.id-header` says
 * otherwise) when it is 1–128 safe characters, otherwise a generated UUID. Echoed in the response header and used
 * as `details.correlation_id` of a 500 and in its log line. Available once the `Restflow` plugin is installed;
 * `null` before.
 */
public val ApplicationCall.requestIdOrNull: String? get() = attributes.getOrNull(RequestIdKey)

/** The id of this request; see [requestIdOrNull]. Throws [IllegalStateException] if Restflow is not installed. */
public val ApplicationCall.requestId: String
    get() = requestIdOrNull ?: error("The request id is set by the Restflow plugin: install(Restflow) first")

internal object RequestIds {
    fun accept(header: String?): String =
        header?.trim()?.takeIf { SAFE_ID.matches(it) } ?: UUID.randomUUID().toString()
}
