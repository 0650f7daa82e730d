package dev.restflow.ktor.error

import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode

/** The envelope for a response that carries an error status but no body (Ktor's 404, 405, 406, a plugin's 401 …). */
internal object StatusErrors {
    fun forStatus(
        status: HttpStatusCode,
        method: String,
        contentType: String?,
        header: (String) -> String?,
    ): ApiException = when (status.value) {
        400 -> ApiException.validation(emptyMap())
        401 -> ApiException(status, ErrorCodes.NOT_AUTHENTICATED, "Authentication credentials were not provided.")
        403 -> ApiException.permissionDenied()
        404 -> ApiException.notFound()
        405 -> ApiException(status, ErrorCodes.METHOD_NOT_ALLOWED, "Method \"${method.take(32)}\" not allowed.")
        406 -> ApiException(status, ErrorCodes.NOT_ACCEPTABLE, "Could not satisfy the request Accept header.")
        409 -> ApiException.conflict()
        413 -> ExceptionTranslator.payloadTooLarge()
        415 -> ExceptionTranslator.unsupportedMediaType(contentType)
        429 -> ApiException.throttled(retryAfterSeconds(header(HttpHeaders.RetryAfter)))
        500 -> ApiException(status, ErrorCodes.INTERNAL_ERROR, "Internal server error.")
        503 -> ApiException.serviceUnavailable()
        else -> ApiException(status, ErrorMessages.codeOf(status.description), status.description.ifBlank { "Error." } + ".")
    }

    /** `Retry-After` as delta-seconds (an HTTP-date is not produced by Ktor's plugins; it counts as 1 second). */
    private fun retryAfterSeconds(value: String?): Long = value?.trim()?.toLongOrNull()?.coerceAtLeast(0) ?: 1
}
