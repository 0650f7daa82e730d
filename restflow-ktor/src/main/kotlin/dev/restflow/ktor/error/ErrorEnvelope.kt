package dev.restflow.ktor.error

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The one error body of every Restflow response: `{"error":{"code":"…","message":"…","details":{…}}}`.
 *
 * `details` is always an object (`{}` when empty): field-keyed lists of messages for validation errors (nested
 * objects kept nested, list-level errors under `non_field_errors`), `retry_after_seconds` for 429,
 * `correlation_id` for 500.
 */
public class ErrorEnvelope(
    /** The stable code, see [ErrorCodes]. */
    public val code: String,
    /** The human-readable message. */
    public val message: String,
    /** The details object. */
    public val details: JsonObject = JsonObject(emptyMap()),
) {
    /** The envelope as a JSON object. */
    public fun toJsonObject(): JsonObject = JsonObject(
        mapOf(
            "error" to JsonObject(
                mapOf("code" to JsonPrimitive(code), "message" to JsonPrimitive(message), "details" to details),
            ),
        ),
    )

    /** The envelope as compact JSON text. */
    public fun toJson(): String = Json.encodeToString(JsonObject.serializer(), toJsonObject())

    override fun toString(): String = toJson()

    override fun equals(other: Any?): Boolean =
        other is ErrorEnvelope && other.code == code && other.message == message && other.details == details

    override fun hashCode(): Int = (code.hashCode() * 31 + message.hashCode()) * 31 + details.hashCode()
}
