package dev.restflow.ktor.openapi

import kotlinx.serialization.json.JsonObject

/** The OpenAPI description of the token endpoints of `authRoutes` (the password is write-only, never echoed). */
internal object AuthEndpointDocs {
    private fun string(vararg extra: Pair<String, Any?>): JsonObject = Js.obj("type" to "string", *extra)

    private val pair = Js.obj(
        "type" to "object", "required" to listOf("access", "refresh"),
        "properties" to Js.obj(
            "access" to string("readOnly" to true, "description" to "The access token (a JWT)."),
            "refresh" to string("readOnly" to true, "description" to "The refresh token (a JWT)."),
        ),
    )
    private val refresh = Js.obj(
        "type" to "object", "required" to listOf("refresh"),
        "properties" to Js.obj("refresh" to string("writeOnly" to true, "description" to "A refresh token.")),
    )
    private val credentials = Js.obj(
        "type" to "object", "required" to listOf("username", "password"),
        "properties" to Js.obj(
            "username" to string(),
            "password" to string("format" to "password", "writeOnly" to true),
        ),
    )

    private fun OperationDoc.common(id: String, summary: String) {
        operationId(id)
        summary(summary)
        tags("auth")
        schema("TokenPair", pair)
        errors(400, 401, 413)
    }

    val token: OperationDoc.() -> Unit = {
        common("auth_token_obtain", "Obtain an access and a refresh token")
        schema("TokenObtainRequest", credentials)
        requestBody(schemaRef("TokenObtainRequest"))
        response(200, "The token pair.", schemaRef("TokenPair"))
    }

    val refreshToken: OperationDoc.() -> Unit = {
        common("auth_token_refresh", "Refresh: a new token pair for a refresh token")
        schema("TokenRefreshRequest", refresh)
        requestBody(schemaRef("TokenRefreshRequest"))
        response(200, "The new token pair (with rotation, the old refresh token no longer works).", schemaRef("TokenPair"))
    }

    val blacklist: OperationDoc.() -> Unit = {
        common("auth_token_blacklist", "Blacklist a refresh token")
        schema("TokenRefreshRequest", refresh)
        requestBody(schemaRef("TokenRefreshRequest"))
        response(204, "Revoked; no response body.")
    }
}
