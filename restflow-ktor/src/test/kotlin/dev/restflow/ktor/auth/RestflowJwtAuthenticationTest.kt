package dev.restflow.ktor.auth

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.jwt.MutableClock
import dev.restflow.ktor.auth.jwt.TestKeys
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.settings.RestflowSettings
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.principal
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.time.Duration
import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

class TestUser(
    override val id: String,
    override val username: String,
    override var passwordHash: String? = "pbkdf2_sha256\$1\$s\$h",
    override val isActive: Boolean = true,
    override val isStaff: Boolean = false,
) : AuthUser

class MapUserStore(vararg users: TestUser) : UserStore {
    val users: MutableMap<String, TestUser> = users.associateBy { it.id }.toMutableMap()
    override suspend fun findById(id: String): AuthUser? = users[id]
    override suspend fun findByUsername(username: String): AuthUser? = users.values.firstOrNull { it.username == username }
}

class RestflowJwtAuthenticationTest {
    private val store = MapUserStore(TestUser("1", "alice"), TestUser("2", "carol", isActive = false))
    private val settings = RestflowSettings.builder().apply {
        jwt {
            signingKey = TestKeys.SECRET
            checkRevokeToken = true
            authHeaderTypes = listOf("Bearer", "JWT")
        }
    }.build()
    private val issuer = JwtTokens(settings.jwt)

    private fun access(userId: String, passwordHash: String? = store.users[userId]?.passwordHash) =
        issuer.issue(TokenType.ACCESS, userId, mapOf("hash_password" to RevokeFingerprint.of(passwordHash))).token

    private fun app(block: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        environment {
            config = MapApplicationConfig(
                "restflow.jwt.signing-key" to TestKeys.SECRET,
                "restflow.jwt.check-revoke-token" to "true",
                "restflow.jwt.auth-header-types" to "Bearer, JWT",
            )
        }
        application {
            install(Restflow)
            install(Authentication) { restflowJwt { userStore = store } }
            routing {
                authenticate {
                    get("/me") { call.respondText(call.principal<RestflowPrincipal>()!!.user.username) }
                }
            }
        }
        block()
    }

    private suspend fun HttpResponse.assertRefused(code: String, message: String) {
        assertEquals(HttpStatusCode.Unauthorized, status)
        val error = Json.parseToJsonElement(bodyAsText()).jsonObject.getValue("error").jsonObject
        assertEquals(code, error.getValue("code").jsonPrimitive.content)
        assertEquals(message, error.getValue("message").jsonPrimitive.content)
        assertTrue(headers[HttpHeaders.WWWAuthenticate]!!.startsWith("Bearer realm=\"restflow\""), headers[HttpHeaders.WWWAuthenticate])
    }

    @Test
    fun `a valid access token authenticates with Bearer in any case and with every configured scheme`() = app {
        val token = access("1")
        assertEquals("alice", client.get("/me") { header(HttpHeaders.Authorization, "Bearer $token") }.bodyAsText())
        assertEquals("alice", client.get("/me") { header(HttpHeaders.Authorization, "bearer $token") }.bodyAsText())
        assertEquals("alice", client.get("/me") { header(HttpHeaders.Authorization, "JWT $token") }.bodyAsText())
    }

    @Test
    fun `no header is 401 not_authenticated with a challenge`() = app {
        client.get("/me").assertRefused("not_authenticated", "Authentication credentials were not provided.")
        client.get("/me") { header(HttpHeaders.Authorization, "") }.assertRefused("not_authenticated", "Authentication credentials were not provided.")
    }

    @Test
    fun `a malformed header is 401 with drf-restflow's message`() = app {
        val expected = "Authorization header must be 'Bearer <token>' or 'JWT <token>'."
        listOf("Token abc", "Bearer", "Bearer a b", "Basic YWxpY2U6cGFzcw==", "\u00ff\u00fe").forEach {
            client.get("/me") { header(HttpHeaders.Authorization, it) }.assertRefused("authentication_failed", expected)
        }
    }

    @Test
    fun `garbage, refresh and expired tokens are refused`() = app {
        client.get("/me") { header(HttpHeaders.Authorization, "Bearer not.a.jwt") }.assertRefused("authentication_failed", "Token is invalid.")
        val refresh = issuer.issue(TokenType.REFRESH, "1").token
        client.get("/me") { header(HttpHeaders.Authorization, "Bearer $refresh") }
            .assertRefused("authentication_failed", "Wrong token type, expected 'access'.")
        val past = JwtTokens(settings.jwt, MutableClock(Instant.now().minus(Duration.ofHours(1))))
            .issue(TokenType.ACCESS, "1", mapOf("hash_password" to RevokeFingerprint.of(store.users["1"]!!.passwordHash))).token
        client.get("/me") { header(HttpHeaders.Authorization, "Bearer $past") }.assertRefused("authentication_failed", "Token has expired.")
    }

    @Test
    fun `unknown and inactive users are refused`() = app {
        client.get("/me") { header(HttpHeaders.Authorization, "Bearer ${access("99", null)}") }.assertRefused("authentication_failed", "User not found.")
        client.get("/me") { header(HttpHeaders.Authorization, "Bearer ${access("2")}") }.assertRefused("authentication_failed", "User is inactive.")
    }

    @Test
    fun `a token issued before a password change is refused`() = app {
        val token = access("1")
        store.users.getValue("1").passwordHash = "pbkdf2_sha256\$1\$s\$changed"
        client.get("/me") { header(HttpHeaders.Authorization, "Bearer $token") }
            .assertRefused("authentication_failed", "The user's password has been changed.")
        assertEquals("alice", client.get("/me") { header(HttpHeaders.Authorization, "Bearer ${access("1")}") }.bodyAsText())
    }
}
