package dev.restflow.ktor.error

import dev.restflow.exposed.pagination.PaginationException
import dev.restflow.exposed.filter.FilterValidationException
import io.ktor.http.HttpStatusCode
import io.ktor.serialization.JsonConvertException
import io.ktor.server.plugins.BadRequestException
import io.ktor.server.plugins.CannotTransformContentToTypeException
import io.ktor.server.plugins.MissingRequestParameterException
import io.ktor.server.plugins.NotFoundException
import io.ktor.server.plugins.ParameterConversionException
import io.ktor.server.plugins.PayloadTooLargeException
import io.ktor.server.plugins.UnsupportedMediaTypeException
import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.MissingFieldException
import kotlinx.serialization.SerializationException

/**
 * Maps exceptions to the [ApiException] answered to the client: user mappings first (most specific class wins),
 * then Restflow's knowledge of Ktor's and kotlinx-serialization's exceptions; `null` for anything else (a 500).
 */
@OptIn(ExperimentalSerializationApi::class)
internal class ExceptionTranslator(private val config: ErrorsConfig) {

    /** [requestContentType] names the media type in a 415. */
    fun translate(cause: Throwable, requestContentType: String?): ApiException? {
        if (cause is ApiException) return cause
        config.mapperFor(cause)?.map(cause)?.let { return it }
        return builtIn(cause, requestContentType)
    }

    private fun builtIn(cause: Throwable, requestContentType: String?): ApiException? {
        val chain = generateSequence(cause) { it.cause.takeIf { next -> next !== it } }.take(16).toList()
        chain.firstNotNullOfOrNull { it as? ApiException }?.let { return it }
        chain.firstNotNullOfOrNull { it as? FilterValidationException }?.let { return ApiException.validation(it.errors) }
        chain.firstNotNullOfOrNull { it as? PayloadTooLargeException }?.let { return payloadTooLarge() }
        chain.firstNotNullOfOrNull { (it as? java.sql.SQLException)?.let(::integrityError) }?.let { return it }
        chain.firstNotNullOfOrNull { it as? PaginationException }?.let { return paginationError(it) }
        if (chain.any { it is UnsupportedMediaTypeException || it is CannotTransformContentToTypeException }) {
            return unsupportedMediaType(requestContentType)
        }
        chain.firstNotNullOfOrNull { it as? MissingRequestParameterException }?.let {
            return ApiException.validation(mapOf(it.parameterName to listOf("This field is required.")))
        }
        chain.firstNotNullOfOrNull { it as? ParameterConversionException }?.let {
            return ApiException.validation(mapOf(it.parameterName to listOf(typeMessage(it.type))))
        }
        chain.firstNotNullOfOrNull { it as? MissingFieldException }?.let { missing ->
            return ApiException.validation(missing.missingFields.associateWith { listOf("This field is required.") })
        }
        chain.firstOrNull { it is SerializationException || it is JsonConvertException }?.let { parse ->
            val innermost = chain.lastOrNull { it is SerializationException } ?: parse
            return ApiException.parseError(ErrorMessages.sanitize(innermost.message))
        }
        // A cookie or parameter that is not valid percent-encoding (e.g. `SESSION=%%` read by Ktor's Sessions).
        if (chain.any { it is io.ktor.http.URLDecodeException }) {
            return ApiException(HttpStatusCode.BadRequest, ErrorCodes.PARSE_ERROR, "Malformed request.")
        }
        if (cause is NotFoundException) return ApiException.notFound()
        if (cause is BadRequestException) {
            return ApiException(HttpStatusCode.BadRequest, ErrorCodes.PARSE_ERROR, "Malformed request.")
        }
        return null
    }

    /**
     * A constraint violation (SQLSTATE class 23, the same codes on PostgreSQL and H2) is the client's conflict, not a
     * server failure: unique → 409, foreign key → 409, not-null or check → 400. No SQL text reaches the client.
     */
    private fun integrityError(e: java.sql.SQLException): ApiException? {
        val state = generateSequence(e) { it.nextException }.take(8).firstNotNullOfOrNull { it.sqlState } ?: return null
        return when (state) {
            "23505", "23001" -> ApiException.conflict("A resource with these values already exists.")
            "23503", "23506" -> ApiException.conflict("The operation conflicts with related resources.")
            "23502", "23513", "23514" -> ApiException.validation(mapOf("non_field_errors" to listOf("The data violates a database constraint.")))
            else -> null
        }
    }

    /** DRF's answers for pages that cannot be served. */
    private fun paginationError(e: PaginationException): ApiException = when (e) {
        is PaginationException.InvalidPage -> ApiException.notFound("Invalid page.")
        is PaginationException.InvalidCursor -> ApiException.validation(mapOf("cursor" to listOf("Invalid cursor.")))
        is PaginationException.OffsetTooDeep -> ApiException.validation(mapOf("non_field_errors" to listOf(e.message)))
    }

    private fun typeMessage(type: String): String {
        val simple = type.substringAfterLast('.').lowercase()
        return when (simple) {
            "int", "integer", "long", "short", "byte", "biginteger" -> "A valid integer is required."
            "double", "float", "number", "bigdecimal" -> "A valid number is required."
            "boolean" -> "Must be a valid boolean."
            "uuid" -> "Must be a valid UUID."
            else -> "A valid value is required."
        }
    }

    companion object {
        fun payloadTooLarge(): ApiException =
            ApiException(HttpStatusCode.PayloadTooLarge, ErrorCodes.PAYLOAD_TOO_LARGE, "Request body is too large.")

        fun unsupportedMediaType(contentType: String?): ApiException {
            val type = contentType?.let(::mediaTypeOf)
            val message = if (type.isNullOrBlank()) "Unsupported media type in request." else "Unsupported media type \"$type\" in request."
            return ApiException(HttpStatusCode.UnsupportedMediaType, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, message)
        }

        /** The bare media type of a `Content-Type` value (no parameters), if it looks like one. */
        private fun mediaTypeOf(header: String): String? =
            Regex("^\\s*([A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64})").find(header)?.groupValues?.get(1)
    }
}
