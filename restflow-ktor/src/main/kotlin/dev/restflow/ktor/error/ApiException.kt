package dev.restflow.ktor.error

import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import kotlinx.serialization.json.JsonObject

/**
 * An error answered to the client in the envelope `{"error":{"code","message","details"}}`, with [status] and
 * [headers].
 *
 * Throw it from any handler (or map your own exception types to it with `errors { exception<T> { … } }` in the
 * `Restflow` install block); the plugin renders it. Subclass it for domain errors. [details] accepts maps, lists,
 * strings, numbers, booleans and nulls, nested freely; it is rendered as a JSON object (`{}` when empty).
 *
 * From Java: `throw new ApiException(409, "conflict", "Already reviewed.", Map.of("product", List.of("…")))`.
 */
public open class ApiException @JvmOverloads constructor(
    /** The HTTP status. */
    public val status: HttpStatusCode,
    /** The stable machine-readable code (see [ErrorCodes]). */
    public val code: String,
    /** The human-readable message. */
    message: String,
    details: Map<String, Any?> = emptyMap(),
    /** Headers the response carries, e.g. `WWW-Authenticate`, `Retry-After`, `Allow`. */
    public val headers: Map<String, List<String>> = emptyMap(),
    cause: Throwable? = null,
) : RuntimeException(message, cause) {

    /** The same error with the status given as a number. */
    @JvmOverloads
    public constructor(
        status: Int,
        code: String,
        message: String,
        details: Map<String, Any?> = emptyMap(),
        headers: Map<String, List<String>> = emptyMap(),
        cause: Throwable? = null,
    ) : this(HttpStatusCode.fromValue(status), code, message, details, headers, cause)

    /** The details object of the envelope. */
    public val details: JsonObject = JsonValues.objectOf(details)

    /** The human-readable message (never null). */
    override val message: String get() = super.message ?: ""

    /** The envelope this exception renders as. */
    public fun toEnvelope(): ErrorEnvelope = ErrorEnvelope(code, message, details)

    public companion object {
        /** 400 `validation_error` "Request validation failed." with [details] keyed by field name. */
        @JvmStatic
        public fun validation(details: Map<String, Any?>): ApiException =
            ApiException(HttpStatusCode.BadRequest, ErrorCodes.VALIDATION_ERROR, "Request validation failed.", details)

        /** 400 `parse_error`: the body could not be parsed; [reason] follows "JSON parse error - ". */
        @JvmStatic
        public fun parseError(reason: String): ApiException =
            ApiException(HttpStatusCode.BadRequest, ErrorCodes.PARSE_ERROR, "JSON parse error - $reason")

        /** 401 `not_authenticated`, with `WWW-Authenticate: `[challenge]. */
        @JvmStatic
        @JvmOverloads
        public fun notAuthenticated(
            challenge: String = "Bearer",
            message: String = "Authentication credentials were not provided.",
        ): ApiException = ApiException(
            HttpStatusCode.Unauthorized, ErrorCodes.NOT_AUTHENTICATED, message,
            headers = mapOf(HttpHeaders.WWWAuthenticate to listOf(challenge)),
        )

        /** 401 `authentication_failed`, with `WWW-Authenticate: `[challenge]. */
        @JvmStatic
        @JvmOverloads
        public fun authenticationFailed(
            message: String = "Incorrect authentication credentials.",
            challenge: String = "Bearer",
        ): ApiException = ApiException(
            HttpStatusCode.Unauthorized, ErrorCodes.AUTHENTICATION_FAILED, message,
            headers = mapOf(HttpHeaders.WWWAuthenticate to listOf(challenge)),
        )

        /** 403 `permission_denied`. */
        @JvmStatic
        @JvmOverloads
        public fun permissionDenied(message: String = "You do not have permission to perform this action."): ApiException =
            ApiException(HttpStatusCode.Forbidden, ErrorCodes.PERMISSION_DENIED, message)

        /** 404 `not_found`. */
        @JvmStatic
        @JvmOverloads
        public fun notFound(message: String = "Not found."): ApiException =
            ApiException(HttpStatusCode.NotFound, ErrorCodes.NOT_FOUND, message)

        /** 409 `conflict`, with optional field-keyed [details]. */
        @JvmStatic
        @JvmOverloads
        public fun conflict(message: String = "Conflict.", details: Map<String, Any?> = emptyMap()): ApiException =
            ApiException(HttpStatusCode.Conflict, ErrorCodes.CONFLICT, message, details)

        /** 429 `throttled`: `details.retry_after_seconds` and `Retry-After` are [retryAfterSeconds]. */
        @JvmStatic
        public fun throttled(retryAfterSeconds: Long): ApiException {
            val wait = retryAfterSeconds.coerceAtLeast(0)
            return ApiException(
                HttpStatusCode.TooManyRequests, ErrorCodes.THROTTLED,
                "Request was throttled. Expected available in $wait second${if (wait == 1L) "" else "s"}.",
                details = mapOf("retry_after_seconds" to wait),
                headers = mapOf(HttpHeaders.RetryAfter to listOf(wait.toString())),
            )
        }

        /** 503 `service_unavailable`, with `Retry-After` when [retryAfterSeconds] is given. */
        @JvmStatic
        @JvmOverloads
        public fun serviceUnavailable(
            message: String = "Service temporarily unavailable, try again later.",
            retryAfterSeconds: Long? = null,
        ): ApiException = ApiException(
            HttpStatusCode.ServiceUnavailable, ErrorCodes.SERVICE_UNAVAILABLE, message,
            headers = retryAfterSeconds?.let { mapOf(HttpHeaders.RetryAfter to listOf(it.toString())) } ?: emptyMap(),
        )
    }
}
