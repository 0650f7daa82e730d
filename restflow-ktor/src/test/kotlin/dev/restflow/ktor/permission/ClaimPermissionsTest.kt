package dev.restflow.ktor.permission

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.MapUserStore
import dev.restflow.ktor.auth.TestUser
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.jwt.TestKeys
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.auth.restflowBasic
import dev.restflow.ktor.auth.restflowJwt
import dev.restflow.ktor.auth.testHasher
import dev.restflow.ktor.restflow
import io.ktor.client.request.basicAuth
import io.ktor.client.request.bearerAuth
import io.ktor.client.request.get
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** `HasRole` and `HasClaim` through real routes: the claims of the JWT decide, and 401 vs 403 follows DRF. */
class ClaimPermissionsTest {
    private val store = MapUserStore(TestUser("1", "alice", testHasher.hash("alice-pass")))
    private lateinit var tokens: JwtTokens

    private fun app(block: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to TestKeys.SECRET) }
        application {
            install(Restflow)
            tokens = restflow.jwt!!
            install(Authentication) {
                restflowJwt("jwt") { userStore = store }
                restflowBasic("basic") { userStore = store; hasher = testHasher }
            }
            routing {
                authenticate("jwt", "basic", optional = true) {
                    route("/editor") { permissions(HasRole("editor")); get { call.respondText("edit") } }
                    route("/writer") { permissions(HasRole("write", claim = "scope")); get { call.respondText("write") } }
                    route("/pro") { permissions(HasClaim("plan", "pro")); get { call.respondText("pro") } }
                    route("/beta") { permissions(HasClaim("beta")); get { call.respondText("beta") } }
                    route("/level") { permissions(HasClaim("level", "3")); get { call.respondText("level") } }
                    route("/verified") { permissions(HasClaim("verified", "true")); get { call.respondText("verified") } }
                }
            }
        }
        startApplication()
        block()
    }

    private fun token(vararg claims: Pair<String, Any?>): String = tokens.issue(TokenType.ACCESS, "1", mapOf(*claims)).token

    private suspend fun ApplicationTestBuilder.status(path: String, token: String): Int = client.get(path) { bearerAuth(token) }.status.value

    private suspend fun HttpResponse.code(): String = Regex("\"code\":\"([a-z_]+)\"").find(bodyAsText())?.groupValues?.get(1) ?: ""

    @Test
    fun `HasRole passes when the roles list contains the role and answers 403 otherwise`() = app {
        assertEquals("edit", client.get("/editor") { bearerAuth(token("roles" to listOf("viewer", "editor"))) }.bodyAsText())
        val denied = client.get("/editor") { bearerAuth(token("roles" to listOf("viewer"))) }
        assertEquals(403, denied.status.value)
        assertEquals("permission_denied", denied.code())
        assertNull(denied.headers[HttpHeaders.WWWAuthenticate])
        assertEquals(403, status("/editor", token()), "no roles claim at all")
        assertEquals(403, status("/editor", token("roles" to listOf<String>())), "an empty roles list")
    }

    @Test
    fun `HasRole splits a string claim on spaces and commas and matches whole roles only`() = app {
        assertEquals(200, status("/editor", token("roles" to "viewer,editor")))
        assertEquals(200, status("/editor", token("roles" to "viewer editor")))
        assertEquals(403, status("/editor", token("roles" to "editors")), "no prefix match")
        assertEquals(403, status("/editor", token("roles" to "chief-editor")), "no substring match")
        assertEquals(200, status("/writer", token("scope" to "read write")), "a custom claim, OAuth scope style")
        assertEquals(403, status("/writer", token("scope" to "read")))
        assertEquals(403, status("/writer", token("roles" to listOf("write"))), "only the configured claim counts")
    }

    @Test
    fun `HasClaim checks presence, or a value in a string or list claim`() = app {
        assertEquals(200, status("/beta", token("beta" to true)))
        assertEquals(200, status("/beta", token("beta" to "yes")))
        assertEquals(403, status("/beta", token()))
        assertEquals(200, status("/pro", token("plan" to "pro")))
        assertEquals(403, status("/pro", token("plan" to "free")))
        assertEquals(403, status("/pro", token("plan" to "PRO")), "values compare exactly")
        assertEquals(200, status("/pro", token("plan" to listOf("free", "pro"))))
        assertEquals(403, status("/pro", token("plan" to listOf("free"))))
    }

    @Test
    fun `HasClaim compares numbers and booleans as text`() = app {
        assertEquals(200, status("/level", token("level" to 3)))
        assertEquals(200, status("/level", token("level" to 3L)))
        assertEquals(200, status("/level", token("level" to "3")))
        assertEquals(403, status("/level", token("level" to 4)))
        assertEquals(200, status("/verified", token("verified" to true)))
        assertEquals(403, status("/verified", token("verified" to false)))
    }

    @Test
    fun `claim permissions answer 401 with the Bearer challenge to anonymous callers`() = app {
        for (path in listOf("/editor", "/pro", "/beta")) {
            val response = client.get(path)
            assertEquals(401, response.status.value, path)
            assertEquals("not_authenticated", response.code())
            assertEquals("Bearer realm=\"restflow\"", response.headers[HttpHeaders.WWWAuthenticate])
        }
    }

    @Test
    fun `claim permissions answer 403 to callers authenticated without a token`() = app {
        val response = client.get("/editor") { basicAuth("alice", "alice-pass") }
        assertEquals(403, response.status.value)
        assertTrue(response.bodyAsText().contains("You do not have permission to perform this action."))
        assertEquals(403, client.get("/beta") { basicAuth("alice", "alice-pass") }.status.value)
    }
}
