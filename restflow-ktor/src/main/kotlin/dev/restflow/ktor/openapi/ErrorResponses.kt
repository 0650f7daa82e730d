package dev.restflow.ktor.openapi

import kotlinx.serialization.json.JsonObject

/**
 * The error envelope as a shared schema (`ErrorEnvelope`) and one shared response per status Restflow answers with
 * it, each referenced by the operations that can return that status.
 */
internal object ErrorResponses {
    const val SCHEMA = "ErrorEnvelope"

    /** status → (component name, description). */
    val BY_STATUS: Map<Int, Pair<String, String>> = linkedMapOf(
        400 to ("BadRequest" to "Invalid input: `validation_error` with field-keyed messages in `details`, or `parse_error`."),
        401 to ("Unauthorized" to "Not authenticated (`not_authenticated`) or bad credentials (`authentication_failed`); with `WWW-Authenticate`."),
        403 to ("Forbidden" to "The caller may not perform this action (`permission_denied`)."),
        404 to ("NotFound" to "No such resource, or an invalid page (`not_found`)."),
        405 to ("MethodNotAllowed" to "The path does not serve this method (`method_not_allowed`); `Allow` lists the methods it serves."),
        406 to ("NotAcceptable" to "No media type the operation renders matches `Accept` (`not_acceptable`)."),
        409 to ("Conflict" to "The change conflicts with existing data, e.g. a unique value already taken (`conflict`)."),
        413 to ("PayloadTooLarge" to "The request body is too large (`payload_too_large`)."),
        415 to ("UnsupportedMediaType" to "The request body's media type is not accepted (`unsupported_media_type`)."),
        429 to ("TooManyRequests" to "Throttled (`throttled`); `Retry-After` and `details.retry_after_seconds` tell when to retry."),
        500 to ("InternalError" to "An unexpected error (`internal_error`); `details.correlation_id` identifies it in the logs."),
        503 to ("ServiceUnavailable" to "Temporarily unavailable (`service_unavailable`)."),
    )

    fun schema(): JsonObject = Js.obj(
        "type" to "object",
        "description" to "The one error body of every Restflow error response.",
        "required" to listOf("error"),
        "properties" to Js.obj(
            "error" to Js.obj(
                "type" to "object",
                "required" to listOf("code", "message", "details"),
                "properties" to Js.obj(
                    "code" to Js.obj("type" to "string", "description" to "A stable machine-readable code.", "example" to "validation_error"),
                    "message" to Js.obj("type" to "string", "description" to "A human-readable message.", "example" to "Invalid input."),
                    "details" to Js.obj(
                        "type" to "object",
                        "description" to "Field-keyed lists of messages for validation errors (`non_field_errors` for the body as a " +
                            "whole), `retry_after_seconds` for 429, `correlation_id` for 500; `{}` otherwise.",
                        "additionalProperties" to true,
                    ),
                ),
            ),
        ),
    )

    fun responses(): JsonObject = JsonObject(
        BY_STATUS.values.associate { (name, description) ->
            name to Js.obj(
                "description" to description,
                "headers" to if (name == "TooManyRequests") {
                    Js.obj("Retry-After" to Js.obj("description" to "Seconds to wait.", "schema" to Js.obj("type" to "integer")))
                } else if (name == "Unauthorized") {
                    Js.obj("WWW-Authenticate" to Js.obj("description" to "The authentication challenge.", "schema" to Js.obj("type" to "string")))
                } else {
                    null
                },
                "content" to Js.obj("application/json" to Js.obj("schema" to Js.ref("schemas", SCHEMA))),
            )
        },
    )

    fun ref(status: Int): JsonObject = Js.ref("responses", BY_STATUS.getValue(status).first)
}
