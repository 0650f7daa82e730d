package dev.restflow.ktor.openapi.docs

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.openapi.RestflowOpenApi
import dev.restflow.ktor.openapi.SecurityScheme
import dev.restflow.ktor.openapi.hideFromOpenApi
import dev.restflow.ktor.openapi.openApi
import dev.restflow.ktor.openapi.schemaRef
import dev.restflow.ktor.view.Shelves
import dev.restflow.ktor.view.DatabaseAccess
import dev.restflow.ktor.view.viewSet
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.bearer
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonObject
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** The snippets of docs/openapi.md, compiled and run. */
class OpenApiSnippets {
    private val db = Database.connect("jdbc:h2:mem:openapi-docs-${java.util.UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also {
        transaction(it) { SchemaUtils.create(Shelves) }
    }

    private fun Application.shop() {
        val access = DatabaseAccess(db)
        install(Restflow)
        install(Authentication) { bearer("api-key") { authenticate { null } } }
        // region install
        install(RestflowOpenApi) {
            title("Shop")
            version("1.2.0")
            description("The shop's public API.")
            server("https://shop.example")
            // a provider Restflow does not recognise by its type
            securityScheme("api-key", SecurityScheme.apiKeyHeader("X-Api-Key"))
            // add to one generated operation, by its operationId
            operation("shelves_destroy") { description("Only empty shelves can be deleted.") }
        }
        // endregion
        routing {
            authenticate("api-key", optional = true) {
                viewSet("/shelves", Shelves) { database(access) }
            }
            // region describe
            get("/status") {
                call.respondText("""{"status":"ok"}""")
            }.openApi {
                summary("Service status")
                tags("ops")
                schema("Status", buildJsonObject { put("type", "object"); putJsonObject("properties") { putJsonObject("status") { put("type", "string") } } })
                response(200, "The service is up.", schemaRef("Status"))
                errors(503)
            }
            get("/internal/metrics") { call.respondText("…") }.hideFromOpenApi()
            // endregion
        }
    }

    @Test
    fun `the documented set-up serves the document and Swagger UI`() = testApplication {
        application { shop() }
        assertEquals(HttpStatusCode.OK, client.get("/openapi.json").status)
        assertEquals(HttpStatusCode.OK, client.get("/openapi.yaml").status)
        assertTrue("swagger-ui" in client.get("/docs").bodyAsText())
        val doc = kotlinx.serialization.json.Json.parseToJsonElement(client.get("/openapi.json").bodyAsText()).jsonObject
        val paths = doc.getValue("paths").jsonObject
        assertTrue("/status" in paths && "/shelves/{id}" in paths)
        assertFalse("/internal/metrics" in paths)
        val destroy = paths.getValue("/shelves/{id}").jsonObject.getValue("delete").jsonObject
        assertEquals("\"Only empty shelves can be deleted.\"", destroy.getValue("description").toString())
        assertEquals("[{\"api-key\":[]},{}]", destroy.getValue("security").toString())
    }
}
