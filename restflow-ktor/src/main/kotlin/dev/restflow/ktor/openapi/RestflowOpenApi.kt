package dev.restflow.ktor.openapi

import io.ktor.http.ContentType
import io.ktor.server.application.Application
import io.ktor.server.application.ApplicationPlugin
import io.ktor.server.application.createApplicationPlugin
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject

/**
 * Serves the OpenAPI 3.1 document generated from the application's routes at `/openapi.json` and `/openapi.yaml`,
 * and Swagger UI (from the `org.webjars:swagger-ui` jar, no CDN) at `/docs`:
 * `install(RestflowOpenApi) { title("Shop"); version("1.2.0"); server("https://shop.example") }`.
 *
 * The document is built on its first request from the routing tree as it is then (declare routes at start-up) and
 * kept; it covers viewsets and generic views in full and plain routes as far as `openApi { }` describes them. The
 * document routes themselves are hidden from it.
 */
public val RestflowOpenApi: ApplicationPlugin<OpenApiConfig> = createApplicationPlugin("RestflowOpenApi", ::OpenApiConfig) {
    val config = pluginConfig
    application.attributes.put(OpenApiConfig.KEY, config)
    val document: JsonObject by lazy { OpenApiGenerator(application, config).generate() }
    val json by lazy { PrettyJson.encodeToString(JsonObject.serializer(), document) }
    val yaml by lazy { OpenApiYaml.write(document) }
    application.routing {
        config.jsonPath?.let { path ->
            get(path) { call.respondText(json, ContentType.Application.Json) }.hideFromOpenApi()
        }
        config.yamlPath?.let { path ->
            get(path) { call.respondText(yaml, YAML) }.hideFromOpenApi()
        }
        config.docsPath?.let { path -> SwaggerUi.install(this, path, config.jsonPath ?: config.yamlPath) }
    }
}

/**
 * The OpenAPI 3.1 document of this application's routes as they are now, built with the [RestflowOpenApi]
 * configuration when installed (defaults otherwise). Builds a new document on every call.
 */
public fun Application.openApiDocument(): JsonObject =
    OpenApiGenerator(this, attributes.getOrNull(OpenApiConfig.KEY) ?: OpenApiConfig()).generate()

/** [openApiDocument] as indented JSON text. */
public fun Application.openApiJson(): String = PrettyJson.encodeToString(JsonObject.serializer(), openApiDocument())

/** [openApiDocument] as YAML text. */
public fun Application.openApiYaml(): String = OpenApiYaml.write(openApiDocument())

private val YAML = ContentType("application", "yaml")

@OptIn(kotlinx.serialization.ExperimentalSerializationApi::class)
private val PrettyJson = Json {
    prettyPrint = true
    prettyPrintIndent = "  "
}
