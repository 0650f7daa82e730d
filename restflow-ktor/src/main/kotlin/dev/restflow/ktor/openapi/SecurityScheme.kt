package dev.restflow.ktor.openapi

import kotlinx.serialization.json.JsonObject

/**
 * An OpenAPI security scheme (`components/securitySchemes`). The document names each after the Ktor authentication
 * provider it describes; providers installed with `restflowJwt`, `restflowBasic`, `restflowToken` (and Ktor's own
 * JWT, bearer and basic providers) are recognised, others are declared with [OpenApiConfig.securityScheme].
 * Immutable.
 */
public class SecurityScheme private constructor(internal val json: JsonObject) {
    override fun toString(): String = "SecurityScheme($json)"

    public companion object {
        /** `Authorization: Bearer <JWT>`. */
        @JvmStatic
        public fun bearerJwt(): SecurityScheme =
            SecurityScheme(Js.obj("type" to "http", "scheme" to "bearer", "bearerFormat" to "JWT"))

        /** `Authorization: Basic …`. */
        @JvmStatic
        public fun basic(): SecurityScheme = SecurityScheme(Js.obj("type" to "http", "scheme" to "basic"))

        /** DRF's `Authorization: Token <key>`, described as an API key in the `Authorization` header. */
        @JvmStatic
        public fun token(): SecurityScheme = SecurityScheme(
            Js.obj(
                "type" to "apiKey", "in" to "header", "name" to "Authorization",
                "description" to "Token-based authentication: `Authorization: Token <key>`.",
            ),
        )

        /** An API key sent in the header [header]. */
        @JvmStatic
        public fun apiKeyHeader(header: String): SecurityScheme =
            SecurityScheme(Js.obj("type" to "apiKey", "in" to "header", "name" to header))

        /** A session cookie named [cookie]. */
        @JvmStatic
        public fun cookie(cookie: String): SecurityScheme =
            SecurityScheme(Js.obj("type" to "apiKey", "in" to "cookie", "name" to cookie))
    }
}
