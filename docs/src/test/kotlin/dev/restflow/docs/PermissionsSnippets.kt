package dev.restflow.docs

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.AuthUser
import dev.restflow.ktor.auth.RestflowPrincipal
import dev.restflow.ktor.auth.UserStore
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.auth.restflowJwt
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.permission.HasRole
import dev.restflow.ktor.permission.IsAdminUser
import dev.restflow.ktor.permission.IsAuthenticated
import dev.restflow.ktor.permission.IsAuthenticatedOrReadOnly
import dev.restflow.ktor.permission.Permission
import dev.restflow.ktor.permission.Permissions
import dev.restflow.ktor.permission.checkObjectPermissions
import dev.restflow.ktor.permission.permissions
import dev.restflow.ktor.restflow
import io.ktor.client.request.bearerAuth
import io.ktor.client.request.delete
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.request.post
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.principal
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.delete
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull

object StaffAndCustomers : UserStore {
    private val users = listOf(ShopUser("42", "alice"), ShopUser("7", "ann", isStaff = true))
    override suspend fun findById(id: String): AuthUser? = users.firstOrNull { it.id == id }
    override suspend fun findByUsername(username: String): AuthUser? = users.firstOrNull { it.username == username }
}

/** An order as a handler loads it; object permissions see whatever object the handler passes. */
class Order(val id: Int, val customerId: String)

class PermissionsSnippets {
    private fun app(block: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to "change-me-to-a-long-random-secret-value") }
        application {
            install(Restflow)
            install(Authentication) { restflowJwt { userStore = StaffAndCustomers } }
            // region route-permissions
            routing {
                authenticate(optional = true) {
                    route("/products") {
                        install(Permissions) { require(IsAuthenticatedOrReadOnly) }
                        get { call.respondText("[]") }
                        post { call.respondText("created") }
                        route("/{id}") {
                            permissions(IsAdminUser) // shorthand for install(Permissions) { require(IsAdminUser) }
                            delete { call.respondText("deleted") }
                        }
                    }
                }
            }
            // endregion
            routing {
                authenticate(optional = true) {
                    // region custom-permission
                    val hasApiKey = Permission(message = "A valid X-Api-Key header is required.") { call ->
                        call.request.headers["X-Api-Key"] == "let-me-in"
                    }
                    // endregion
                    // region combinators
                    val staffOrEditor = IsAdminUser or (IsAuthenticated and HasRole("editor"))
                    val notSuspended = !HasRole("suspended")
                    // endregion
                    route("/reports") {
                        permissions(hasApiKey)
                        get { call.respondText("report") }
                    }
                    route("/articles") {
                        permissions(staffOrEditor, notSuspended)
                        get { call.respondText("articles") }
                    }
                    // region object-permission
                    val isCustomer = object : Permission {
                        override suspend fun hasPermission(call: ApplicationCall) = call.principal<RestflowPrincipal>() != null
                        override suspend fun hasObjectPermission(call: ApplicationCall, obj: Any) =
                            obj is Order && obj.customerId == call.principal<RestflowPrincipal>()?.user?.id
                    }
                    val canSeeOrder = isCustomer or IsAdminUser
                    route("/orders/{id}") {
                        permissions(canSeeOrder)
                        get {
                            val id = call.parameters["id"]?.toIntOrNull() ?: throw ApiException.notFound()
                            val order = Order(id, customerId = "42") // loaded from the database
                            call.checkObjectPermissions(listOf(canSeeOrder), order)
                            call.respondText("order ${order.id}")
                        }
                    }
                    // endregion
                }
                get("/token/{id}") { call.respondText(call.application.restflow.jwt!!.issue(TokenType.ACCESS, call.parameters["id"]!!).token) }
            }
        }
        block()
    }

    private suspend fun ApplicationTestBuilder.token(userId: String): String = client.get("/token/$userId").bodyAsText()

    @Test
    fun `read-only for anonymous callers, writes for users, deletes for staff`() = app {
        assertEquals(200, client.get("/products").status.value)
        val anonymousWrite = client.post("/products")
        assertEquals(401, anonymousWrite.status.value)
        assertEquals("Bearer realm=\"restflow\"", anonymousWrite.headers[HttpHeaders.WWWAuthenticate])
        assertEquals(
            """{"error":{"code":"not_authenticated","message":"Authentication credentials were not provided.","details":{}}}""",
            anonymousWrite.bodyAsText(),
        )
        val alice = token("42")
        assertEquals("created", client.post("/products") { bearerAuth(alice) }.bodyAsText())
        val denied = client.delete("/products/1") { bearerAuth(alice) }
        assertEquals(403, denied.status.value)
        assertNull(denied.headers[HttpHeaders.WWWAuthenticate])
        assertEquals(
            """{"error":{"code":"permission_denied","message":"You do not have permission to perform this action.","details":{}}}""",
            denied.bodyAsText(),
        )
        assertEquals("deleted", client.delete("/products/1") { bearerAuth(token("7")) }.bodyAsText())
    }

    @Test
    fun `a custom permission answers with its own message and code`() = app {
        val alice = token("42")
        val denied = client.get("/reports") { bearerAuth(alice) }
        assertEquals(
            """{"error":{"code":"permission_denied","message":"A valid X-Api-Key header is required.","details":{}}}""",
            denied.bodyAsText(),
        )
        assertEquals("report", client.get("/reports") { bearerAuth(alice); header("X-Api-Key", "let-me-in") }.bodyAsText())
    }

    @Test
    fun `combinations and object permissions`() = app {
        assertEquals(403, client.get("/articles") { bearerAuth(token("42")) }.status.value)
        assertEquals("articles", client.get("/articles") { bearerAuth(token("7")) }.bodyAsText())
        assertEquals("order 3", client.get("/orders/3") { bearerAuth(token("42")) }.bodyAsText())
        assertEquals(401, client.get("/orders/3").status.value)
    }
}
