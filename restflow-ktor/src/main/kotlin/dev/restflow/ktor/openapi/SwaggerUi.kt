package dev.restflow.ktor.openapi

import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.response.header
import io.ktor.server.response.respondBytes
import io.ktor.server.response.respondText
import io.ktor.server.routing.Route
import io.ktor.server.routing.get
import io.ktor.server.routing.route

/** Swagger UI from the `org.webjars:swagger-ui` jar on the classpath, pointed at the served document. */
internal object SwaggerUi {
    private const val WEBJAR = "META-INF/resources/webjars/swagger-ui"

    /** The webjar's version, read from its Maven metadata; `null` when the jar is not on the classpath. */
    val version: String? by lazy {
        SwaggerUi::class.java.classLoader.getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")?.use { input ->
            java.util.Properties().apply { load(input) }.getProperty("version")
        }
    }

    private val ASSETS = mapOf(
        "swagger-ui.css" to ContentType.Text.CSS,
        "index.css" to ContentType.Text.CSS,
        "swagger-ui-bundle.js" to ContentType.Text.JavaScript,
        "swagger-ui-standalone-preset.js" to ContentType.Text.JavaScript,
        "favicon-16x16.png" to ContentType.Image.PNG,
        "favicon-32x32.png" to ContentType.Image.PNG,
    )

    fun install(parent: Route, path: String, documentPath: String?) {
        parent.route(path) {
            hideFromOpenApi()
            get { call.respondText(page(path), ContentType.Text.Html) }
            get("swagger-initializer.js") {
                val url = documentPath ?: ""
                call.respondText(initializer(url), ContentType.Text.JavaScript)
            }
            get("{asset}") {
                val name = call.parameters["asset"]
                val type = ASSETS[name]
                val bytes = version?.let { v -> type?.let { SwaggerUi::class.java.classLoader.getResourceAsStream("$WEBJAR/$v/$name")?.use { it.readBytes() } } }
                if (bytes == null || type == null) {
                    call.respondText(
                        """{"error":{"code":"not_found","message":"Not found.","details":{}}}""",
                        ContentType.Application.Json, HttpStatusCode.NotFound,
                    )
                } else {
                    call.response.header(HttpHeaders.CacheControl, "public, max-age=86400")
                    call.respondBytes(bytes, type)
                }
            }
        }
    }

    private fun page(path: String): String = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="UTF-8">
          <title>API documentation</title>
          <link rel="stylesheet" type="text/css" href="$path/swagger-ui.css">
          <link rel="stylesheet" type="text/css" href="$path/index.css">
          <link rel="icon" type="image/png" href="$path/favicon-32x32.png" sizes="32x32">
        </head>
        <body>
          <div id="swagger-ui"></div>
          <script src="$path/swagger-ui-bundle.js" charset="UTF-8"></script>
          <script src="$path/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
          <script src="$path/swagger-initializer.js" charset="UTF-8"></script>
        </body>
        </html>
    """.trimIndent()

    private fun initializer(url: String): String = """
        window.onload = function () {
          window.ui = SwaggerUIBundle({
            url: ${kotlinx.serialization.json.JsonPrimitive(url)},
            dom_id: "#swagger-ui",
            deepLinking: true,
            presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
            plugins: [SwaggerUIBundle.plugins.DownloadUrl],
            layout: "StandaloneLayout"
          });
        };
    """.trimIndent()
}
