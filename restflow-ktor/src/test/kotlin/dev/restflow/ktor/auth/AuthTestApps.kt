package dev.restflow.ktor.auth

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.blacklist.TokenBlacklist
import dev.restflow.ktor.auth.blacklist.installTokenBlacklist
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.jwt.MutableClock
import dev.restflow.ktor.auth.jwt.TestKeys
import dev.restflow.ktor.auth.password.Pbkdf2PasswordHasher
import dev.restflow.ktor.restflow
import io.ktor.client.HttpClient
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.request.post
import io.ktor.client.request.setBody
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.contentType
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.principal
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.routing
import io.ktor.server.testing.TestApplication
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.time.Instant
import java.time.temporal.ChronoUnit
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** Fast PBKDF2 for tests (one round); the real default is tested in Pbkdf2PasswordHasherTest. */
val testHasher = Pbkdf2PasswordHasher(1)

fun shopUsers() = MapUserStore(
    TestUser("1", "alice", testHasher.hash("alice-pass")),
    TestUser("2", "bob", testHasher.hash("bob-pass")),
    TestUser("3", "carol", testHasher.hash("carol-pass"), isActive = false),
)

/** One application with the auth routes under /api/auth and `GET /api/me` behind restflowJwt. */
class AuthTestApp(
    val store: MapUserStore = shopUsers(),
    val clock: MutableClock = MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS)),
    config: Map<String, String> = emptyMap(),
    blacklist: ((Application) -> TokenBlacklist)? = null,
) : AutoCloseable {
    lateinit var service: AuthService
    lateinit var application: Application
    val app: TestApplication = TestApplication {
        environment {
            this.config = MapApplicationConfig(
                *(mapOf(
                    "restflow.jwt.signing-key" to TestKeys.SECRET,
                    "restflow.jwt.blacklist-allow-in-memory" to "true",
                ) + config).toList().toTypedArray(),
            )
        }
        application { configure(blacklist) }
    }
    val client: HttpClient get() = app.client

    init {
        kotlinx.coroutines.runBlocking { app.start() }
    }

    private fun Application.configure(blacklist: ((Application) -> TokenBlacklist)?) {
        application = this
        install(Restflow)
        val tokens = JwtTokens(restflow.settings.jwt, clock)
        if (blacklist != null) installTokenBlacklist(blacklist(this))
        install(Authentication) {
            restflowJwt {
                userStore = store
                this.tokens = tokens
            }
        }
        routing {
            service = authRoutes("/api/auth") {
                userStore = store
                hasher = testHasher
                this.tokens = tokens
            }
            authenticate {
                get("/api/me") { call.respondText(call.principal<RestflowPrincipal>()!!.user.username) }
                post("/api/logout-everywhere") {
                    service.logoutEverywhere(call.principal<RestflowPrincipal>()!!.user.id)
                    call.respondText("ok")
                }
            }
        }
    }

    suspend fun post(path: String, json: String, authorization: String? = null): HttpResponse = client.post(path) {
        contentType(ContentType.Application.Json)
        authorization?.let { header(HttpHeaders.Authorization, it) }
        setBody(json)
    }

    suspend fun login(username: String = "alice", password: String = "$username-pass"): JsonObject {
        val response = post("/api/auth/token", """{"username":"$username","password":"$password"}""")
        assertEquals(HttpStatusCode.OK, response.status, response.bodyAsText())
        return Json.parseToJsonElement(response.bodyAsText()).jsonObject
    }

    suspend fun refresh(refresh: String): HttpResponse = post("/api/auth/token/refresh", """{"refresh":"$refresh"}""")

    suspend fun me(access: String, scheme: String = "Bearer"): HttpResponse =
        client.get("/api/me") { header(HttpHeaders.Authorization, "$scheme $access") }

    override fun close(): Unit = kotlinx.coroutines.runBlocking { app.stop() }
}

val JsonObject.access: String get() = getValue("access").jsonPrimitive.content
val JsonObject.refresh: String get() = getValue("refresh").jsonPrimitive.content

suspend fun HttpResponse.json(): JsonObject = Json.parseToJsonElement(bodyAsText()).jsonObject

suspend fun HttpResponse.assertError(status: HttpStatusCode, code: String, message: String? = null) {
    val text = bodyAsText()
    assertEquals(status, this.status, text)
    val error = Json.parseToJsonElement(text).jsonObject.getValue("error").jsonObject
    assertEquals(code, error.getValue("code").jsonPrimitive.content, text)
    if (message != null) assertEquals(message, error.getValue("message").jsonPrimitive.content, text)
    if (status == HttpStatusCode.Unauthorized) {
        val challenge = headers[HttpHeaders.WWWAuthenticate]
        assertTrue(challenge != null && challenge.startsWith("Bearer realm=\"restflow\""), "WWW-Authenticate: $challenge")
    }
}

suspend fun HttpResponse.assertOk(body: String? = null) {
    assertEquals(HttpStatusCode.OK, status, bodyAsText())
    if (body != null) assertEquals(body, bodyAsText())
}

