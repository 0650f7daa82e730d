package dev.restflow.docs

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.AuthUser
import dev.restflow.ktor.auth.RestflowPrincipal
import dev.restflow.ktor.auth.UserStore
import dev.restflow.ktor.auth.restflowJwt
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.principal
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.auth.jwt.TokenVerification
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.restflow
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import kotlin.test.Test
import kotlin.test.assertEquals

class ShopUser(
    override val id: String,
    override val username: String,
    override val passwordHash: String? = null,
    override val isActive: Boolean = true,
    override val isStaff: Boolean = false,
) : AuthUser

object ShopUsers : UserStore {
    private val users = listOf(ShopUser("42", "alice"))
    override suspend fun findById(id: String): AuthUser? = users.firstOrNull { it.id == id }
    override suspend fun findByUsername(username: String): AuthUser? = users.firstOrNull { it.username == username }
}

class AuthenticationSnippets {
    @Test
    fun `routes are protected by restflowJwt`() = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to "change-me-to-a-long-random-secret-value") }
        application {
            // region provider
            install(Restflow)
            install(Authentication) {
                restflowJwt { userStore = ShopUsers }
            }
            routing {
                authenticate {
                    get("/api/me") {
                        val principal = call.principal<RestflowPrincipal>()!!
                        call.respondText(principal.user.username)
                    }
                }
            }
            // endregion
            routing { get("/token") { call.respondText(call.application.restflow.jwt!!.issue(TokenType.ACCESS, "42").token) } }
        }
        val token = client.get("/token").bodyAsText()
        assertEquals("alice", client.get("/api/me") { header(HttpHeaders.Authorization, "Bearer $token") }.bodyAsText())
        val anonymous = client.get("/api/me")
        assertEquals(HttpStatusCode.Unauthorized, anonymous.status)
        assertEquals("Bearer realm=\"restflow\"", anonymous.headers[HttpHeaders.WWWAuthenticate])
    }

    @Test
    fun `tokens are issued and verified with the configured keys`() = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to "change-me-to-a-long-random-secret-value") }
        application {
            install(Restflow)
            routing {
                // region issue-and-verify
                get("/whoami") {
                    val jwt: JwtTokens = call.application.restflow.jwt!!
                    val header = call.request.headers[HttpHeaders.Authorization].orEmpty()
                    when (val result = jwt.verify(header.removePrefix("Bearer "), TokenType.ACCESS)) {
                        is TokenVerification.Valid -> call.respondText("user ${result.token.userId}")
                        is TokenVerification.Invalid -> throw ApiException.authenticationFailed(result.message)
                    }
                }
                // endregion
                get("/token") {
                    call.respondText(call.application.restflow.jwt!!.issue(TokenType.ACCESS, "42").token)
                }
            }
        }
        val token = client.get("/token").bodyAsText()
        assertEquals("user 42", client.get("/whoami") { header(HttpHeaders.Authorization, "Bearer $token") }.bodyAsText())
        val refused = client.get("/whoami") { header(HttpHeaders.Authorization, "Bearer nonsense") }
        assertEquals(HttpStatusCode.Unauthorized, refused.status)
        assertEquals("Bearer", refused.headers[HttpHeaders.WWWAuthenticate])
    }
}
