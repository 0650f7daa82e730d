package dev.restflow.ktor.auth

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.jwt.TestKeys
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.restflow
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
import io.ktor.server.sessions.Sessions
import io.ktor.server.sessions.cookie
import io.ktor.server.sessions.get
import io.ktor.server.sessions.sessions
import io.ktor.server.sessions.set
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import java.util.Base64
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

@kotlinx.serialization.Serializable
class UserSession(val userId: String)

class AuthenticatorsTest {
    private val store = shopUsers()
    private val apiKeys = mapOf("k-alice" to "1", "k-carol" to "3")

    private fun app(block: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to TestKeys.SECRET) }
        application {
            install(Restflow)
            install(Sessions) { cookie<UserSession>("SESSION") }
            install(Authentication) {
                restflowJwt("jwt") { userStore = store }
                restflowBasic("basic") { userStore = store; hasher = testHasher }
                restflowToken("token") { lookup = ApiTokenLookup { key -> apiKeys[key]?.let { store.users[it] } } }
                restflowSession("session") { userStore = store; userId { call -> call.sessions.get<UserSession>()?.userId } }
                restflowRemoteUser("remote") { userStore = store; trustedProxies = listOf("localhost", "10.0.0.0/8") }
                restflowRemoteUser("untrusted-remote") { userStore = store; trustedProxies = listOf("192.0.2.1") }
            }
            routing {
                get("/login/{id}") { call.sessions.set(UserSession(call.parameters["id"]!!)); call.respondText("ok") }
                authenticate("jwt", "basic", "token", "session", "remote") {
                    get("/any") { call.respondText(call.principal<RestflowPrincipal>()!!.user.username) }
                }
                authenticate("basic") { get("/basic") { call.respondText(call.principal<RestflowPrincipal>()!!.user.username) } }
                authenticate("token") { get("/token") { call.respondText(call.principal<RestflowPrincipal>()!!.user.username) } }
                authenticate("untrusted-remote") { get("/remote") { call.respondText("in") } }
                get("/jwt") {
                    call.respondText(call.application.restflow.jwt!!.issue(TokenType.ACCESS, "2").token)
                }
            }
        }
        block()
    }

    private fun basic(user: String, password: String) = "Basic " + Base64.getEncoder().encodeToString("$user:$password".toByteArray())

    private suspend fun ApplicationTestBuilder.get(path: String, vararg headers: Pair<String, String>): HttpResponse =
        client.get(path) { headers.forEach { (n, v) -> header(n, v) } }

    @Test
    fun `each authenticator on its own, with schemes in any case`() = app {
        assertEquals("alice", get("/basic", HttpHeaders.Authorization to basic("alice", "alice-pass")).bodyAsText())
        assertEquals("alice", get("/basic", HttpHeaders.Authorization to basic("alice", "alice-pass").replace("Basic", "bASIC")).bodyAsText())
        assertEquals("alice", get("/token", HttpHeaders.Authorization to "token k-alice").bodyAsText())
    }

    @Test
    fun `several per route, the first success wins`() = app {
        val jwt = get("/jwt").bodyAsText()
        assertEquals("bob", get("/any", HttpHeaders.Authorization to "Bearer $jwt").bodyAsText())
        assertEquals("alice", get("/any", HttpHeaders.Authorization to basic("alice", "alice-pass")).bodyAsText())
        assertEquals("alice", get("/any", HttpHeaders.Authorization to "Token k-alice").bodyAsText())
        assertEquals("alice", get("/any", "X-Remote-User" to "alice").bodyAsText())
        val login = client.get("/login/2")
        val cookie = login.headers[HttpHeaders.SetCookie]!!.substringBefore(';')
        assertEquals("bob", get("/any", HttpHeaders.Cookie to cookie).bodyAsText())
        get("/any").assertError(HttpStatusCode.Unauthorized, "not_authenticated")
    }

    @Test
    fun `Basic refusals use DRF's messages and a Basic challenge`() = app {
        suspend fun refused(header: String, message: String) {
            val r = get("/basic", HttpHeaders.Authorization to header)
            assertEquals(HttpStatusCode.Unauthorized, r.status)
            assertTrue(r.bodyAsText().contains(message), r.bodyAsText())
            assertTrue(r.headers[HttpHeaders.WWWAuthenticate]!!.startsWith("Basic realm=\"restflow\""))
        }
        refused(basic("alice", "wrong"), "Invalid username/password.")
        refused(basic("nobody", "x"), "Invalid username/password.")
        refused(basic("carol", "carol-pass"), "User inactive or deleted.")
        refused("Basic", "Invalid basic header. No credentials provided.")
        refused("Basic a b", "Invalid basic header. Credentials string should not contain spaces.")
        refused("Basic %%%", "Invalid basic header. Credentials not correctly base64 encoded.")
        refused("Basic " + Base64.getEncoder().encodeToString("nocolon".toByteArray()), "Invalid basic header. Credentials not correctly base64 encoded.")
        assertEquals(HttpStatusCode.Unauthorized, get("/basic").status)
    }

    @Test
    fun `Token refusals use DRF's messages and a Token challenge`() = app {
        suspend fun refused(header: String, message: String) {
            val r = get("/token", HttpHeaders.Authorization to header)
            assertEquals(HttpStatusCode.Unauthorized, r.status)
            assertTrue(r.bodyAsText().contains(message), r.bodyAsText())
            assertEquals("Token", r.headers[HttpHeaders.WWWAuthenticate])
        }
        refused("Token", "Invalid token header. No credentials provided.")
        refused("Token a b", "Invalid token header. Token string should not contain spaces.")
        refused("Token nope", "Invalid token.")
        refused("Token k-carol", "User inactive or deleted.")
        refused("Token \u00ff\u00fe", "Invalid token.")
    }

    @Test
    fun `the remote-user header is ignored from untrusted peers`() = app {
        val r = get("/remote", "X-Remote-User" to "alice")
        assertEquals(HttpStatusCode.Unauthorized, r.status)
        assertEquals("RemoteUser", r.headers[HttpHeaders.WWWAuthenticate])
    }

    @Test
    fun `a session cookie that is not valid percent-encoding is a 400, not a 500`() = app {
        val response = client.get("/any") { header(HttpHeaders.Cookie, "SESSION=%%zz") }
        assertEquals(HttpStatusCode.BadRequest, response.status, response.bodyAsText())
        assertTrue(response.bodyAsText().contains("\"code\":\"parse_error\""))
    }

    @Test
    fun `garbage headers on a combined route are 401, never 500`() = app {
        listOf("Bearer", "Bearer x.y.z", "Basic ===", "Token", "Bearer \u00e9\u00e8", "Negotiate abc", "Digest").forEach {
            val r = get("/any", HttpHeaders.Authorization to it)
            assertEquals(HttpStatusCode.Unauthorized, r.status, "$it: ${r.bodyAsText()}")
            assertTrue(r.headers[HttpHeaders.WWWAuthenticate] != null, it)
        }
        assertEquals(HttpStatusCode.Unauthorized, get("/any", HttpHeaders.Cookie to "SESSION=garbage").status)
    }
}
