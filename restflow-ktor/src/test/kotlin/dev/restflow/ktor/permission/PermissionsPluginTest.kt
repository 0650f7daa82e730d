package dev.restflow.ktor.permission

import dev.restflow.ktor.Restflow
import io.ktor.client.request.bearerAuth
import io.ktor.client.request.delete
import io.ktor.client.request.get
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.bearer
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.delete
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

class PermissionsPluginTest {
    private val jwtConfig = arrayOf("restflow.jwt.signing-key" to "a-test-secret-that-is-at-least-32-bytes-long")

    private fun Application.api() {
        install(Authentication) {
            bearer {
                authenticate { credential -> mapOf("alice" to alice, "admin" to admin)[credential.token] }
            }
        }
        routing {
            authenticate(optional = true) {
                route("/products") {
                    install(Permissions) { require(IsAuthenticatedOrReadOnly) }
                    get { call.respondText("list") }
                    route("/{id}") {
                        install(Permissions) { require(IsAdminUser) }
                        delete { call.respondText("deleted") }
                    }
                }
                route("/me") {
                    permissions(IsAuthenticated)
                    get { call.respondText("me") }
                }
                route("/basic") {
                    install(Permissions) {
                        challenge = "Basic realm=\"api\""
                        require(IsAuthenticated)
                    }
                    get { call.respondText("basic") }
                }
            }
        }
    }

    private fun app(vararg config: Pair<String, String>, block: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        environment { this.config = MapApplicationConfig(*config) }
        application {
            install(Restflow)
            api()
        }
        block()
    }

    private suspend fun HttpResponse.code(): String = Regex("\"code\":\"([a-z_]+)\"").find(bodyAsText())?.groupValues?.get(1) ?: ""

    @Test
    fun `an unauthenticated denial is a 401 with the challenge when restflow jwt is configured`() = app(*jwtConfig) {
        val response = client.get("/me")
        assertEquals(401, response.status.value)
        assertEquals("not_authenticated", response.code())
        assertEquals("Bearer realm=\"restflow\"", response.headers[HttpHeaders.WWWAuthenticate])
        assertEquals("me", client.get("/me") { bearerAuth("alice") }.bodyAsText())
    }

    @Test
    fun `an unauthenticated denial is a 403 when no challenge is available`() = app {
        val response = client.get("/me")
        assertEquals(403, response.status.value)
        assertEquals("permission_denied", response.code())
        assertNull(response.headers[HttpHeaders.WWWAuthenticate])
    }

    @Test
    fun `a route's own challenge is used for its 401`() = app {
        val response = client.get("/basic")
        assertEquals(401, response.status.value)
        assertEquals("Basic realm=\"api\"", response.headers[HttpHeaders.WWWAuthenticate])
    }

    @Test
    fun `an authenticated caller without the permission gets 403, never 401 (R-17)`() = app(*jwtConfig) {
        val response = client.delete("/products/7") { bearerAuth("alice") }
        assertEquals(403, response.status.value)
        assertEquals("permission_denied", response.code())
        assertTrue(response.bodyAsText().contains("You do not have permission to perform this action."))
        assertNull(response.headers[HttpHeaders.WWWAuthenticate])
        assertEquals("deleted", client.delete("/products/7") { bearerAuth("admin") }.bodyAsText())
    }

    @Test
    fun `nested routes add their gates to the parent's`() = app(*jwtConfig) {
        assertEquals("list", client.get("/products").bodyAsText())
        assertEquals(401, client.delete("/products/7").status.value)
    }
}
