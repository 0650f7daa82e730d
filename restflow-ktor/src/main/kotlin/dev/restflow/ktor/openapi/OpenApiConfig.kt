package dev.restflow.ktor.openapi

import dev.restflow.ktor.restflowKey
import dev.restflow.RestflowDsl
import io.ktor.util.AttributeKey

/**
 * Configuration of [RestflowOpenApi]: the document's info and servers, where it is served, the security schemes of
 * authentication providers Restflow does not recognise, and additions to operations by `operationId`.
 */
@RestflowDsl
public class OpenApiConfig internal constructor() {
    internal var title: String = "API"
    internal var version: String = "1.0.0"
    internal var description: String? = null
    internal val servers = mutableListOf<Pair<String, String?>>()
    internal var jsonPath: String? = "/openapi.json"
    internal var yamlPath: String? = "/openapi.yaml"
    internal var docsPath: String? = "/docs"
    internal val securitySchemes = LinkedHashMap<String, SecurityScheme>()
    internal val operations = LinkedHashMap<String, MutableList<OperationDoc>>()

    /** `info.title` (default `API`). */
    public fun title(title: String): OpenApiConfig = apply { this.title = title }

    /** `info.version`, the version of your API (default `1.0.0`). */
    public fun version(version: String): OpenApiConfig = apply { this.version = version }

    /** `info.description` (CommonMark). */
    public fun description(description: String): OpenApiConfig = apply { this.description = description }

    /** Adds a server [url] (absolute, or relative to where the document is served). */
    @JvmOverloads
    public fun server(url: String, description: String? = null): OpenApiConfig = apply { servers += url to description }

    /** Where the JSON document is served (default `/openapi.json`); `null` serves none. */
    public fun jsonPath(path: String?): OpenApiConfig = apply { jsonPath = path?.let(::checkPath) }

    /** Where the YAML document is served (default `/openapi.yaml`); `null` serves none. */
    public fun yamlPath(path: String?): OpenApiConfig = apply { yamlPath = path?.let(::checkPath) }

    /** Where Swagger UI is served (default `/docs`), from the `org.webjars:swagger-ui` jar; `null` serves none. */
    public fun docsPath(path: String?): OpenApiConfig = apply { docsPath = path?.let(::checkPath) }

    /** Describes the authentication provider named [provider] (Ktor's `authenticate("name")`) as [scheme]. */
    public fun securityScheme(provider: String, scheme: SecurityScheme): OpenApiConfig = apply { securitySchemes[provider] = scheme }

    /** Adds [block] to the operation whose generated (or given) `operationId` is [operationId]. */
    @JvmSynthetic
    public fun operation(operationId: String, block: OperationDoc.() -> Unit): OpenApiConfig = apply {
        operations.getOrPut(operationId) { mutableListOf() } += OperationDoc().apply(block)
    }

    private fun checkPath(path: String): String {
        require(path.startsWith("/") && path.length > 1 && '{' !in path) { "An OpenAPI path must start with / and hold no parameters: $path" }
        return path.trimEnd('/')
    }

    internal companion object {
        val KEY: AttributeKey<OpenApiConfig> = restflowKey("restflow.openapi.config")
    }
}
