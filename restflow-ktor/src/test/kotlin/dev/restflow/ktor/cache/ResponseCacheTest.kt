package dev.restflow.ktor.cache

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.MapUserStore
import dev.restflow.ktor.auth.TestUser
import dev.restflow.ktor.auth.RestflowPrincipal
import dev.restflow.ktor.auth.jwt.TestKeys
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.settings.RestflowSettings
import dev.restflow.ktor.auth.restflowJwt
import dev.restflow.ktor.restflow
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.principal
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.header
import io.ktor.server.response.respond
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull

class ResponseCacheTest {
    private val calls = AtomicInteger()

    private fun app(block: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to TestKeys.SECRET) }
        application {
            install(Restflow)
            install(Authentication) { restflowJwt { userStore = MapUserStore(TestUser("1", "alice"), TestUser("2", "bob")) } }
            routing {
                route("/products/{id}") {
                    install(ResponseCache) { partition { it.parameters["id"] } }
                    get {
                        calls.incrementAndGet()
                        call.respondText("""{"id":${call.parameters["id"]},"q":"${call.request.queryParameters["q"]}","n":${calls.get()}}""")
                    }
                }
                route("/broken") {
                    install(ResponseCache)
                    get { calls.incrementAndGet(); call.respond(HttpStatusCode.ServiceUnavailable) }
                }
                route("/cookie") {
                    install(ResponseCache)
                    get { calls.incrementAndGet(); call.response.header(HttpHeaders.SetCookie, "s=1"); call.respondText("x") }
                }
                authenticate {
                    route("/me") {
                        install(ResponseCache)
                        get { calls.incrementAndGet(); call.respondText(call.principal<RestflowPrincipal>()!!.user.username) }
                    }
                }
                get("/evict/{id}") {
                    call.application.restflow.cache.deletePartition("responses", call.parameters["id"]!!)
                    call.respondText("evicted")
                }
            }
        }
        block()
    }

    @Test
    fun `a second GET is a hit served without running the handler`() = app {
        val first = client.get("/products/1")
        assertEquals("MISS", first.headers["X-Cache-Status"])
        val second = client.get("/products/1")
        assertEquals("HIT", second.headers["X-Cache-Status"])
        assertEquals(first.bodyAsText(), second.bodyAsText())
        assertEquals(first.headers[HttpHeaders.ContentType], second.headers[HttpHeaders.ContentType])
        assertNotNull(second.headers["X-Cached-At"])
        assertNotNull(second.headers["X-Cache-Reset-At"])
        assertNotNull(second.headers[HttpHeaders.Age])
        assertEquals(1, calls.get())
    }

    @Test
    fun `query parameters in another order share an entry, other values do not`() = app {
        client.get("/products/1?a=1&b=2")
        assertEquals("HIT", client.get("/products/1?b=2&a=1").headers["X-Cache-Status"])
        assertEquals("MISS", client.get("/products/1?b=3&a=1").headers["X-Cache-Status"])
        assertEquals("MISS", client.get("/products/1?a=1&b=2") { header(HttpHeaders.Accept, "text/csv") }.headers["X-Cache-Status"])
    }

    @Test
    fun `another Host gets its own entry, so a forged Host never fills the one others are served`() = app {
        client.get("/products/1") { header(HttpHeaders.Host, "evil.example") }
        assertEquals("MISS", client.get("/products/1").headers["X-Cache-Status"])
        assertEquals("HIT", client.get("/products/1").headers["X-Cache-Status"])
        assertEquals("HIT", client.get("/products/1") { header(HttpHeaders.Host, "evil.example") }.headers["X-Cache-Status"])
        assertEquals(2, calls.get())
    }

    @Test
    fun `If-None-Match with the entry's ETag is answered 304 before the handler runs`() = app {
        val etag = client.get("/products/2").headers[HttpHeaders.ETag]
        assertNotNull(etag)
        val conditional = client.get("/products/2") { header(HttpHeaders.IfNoneMatch, etag) }
        assertEquals(HttpStatusCode.NotModified, conditional.status)
        assertEquals(etag, conditional.headers[HttpHeaders.ETag])
        assertEquals(1, calls.get())
    }

    @Test
    fun `evicting the partition makes the next read a miss`() = app {
        client.get("/products/3")
        client.get("/products/4")
        client.get("/evict/3")
        assertEquals("MISS", client.get("/products/3").headers["X-Cache-Status"])
        assertEquals("HIT", client.get("/products/4").headers["X-Cache-Status"])
    }

    @Test
    fun `errors and responses setting cookies are never cached`() = app {
        client.get("/broken")
        client.get("/broken")
        client.get("/cookie")
        client.get("/cookie")
        assertEquals(4, calls.get())
    }

    @Test
    fun `a response cached for one user is never served to another`() = app {
        val settings = RestflowSettings.builder().apply { jwt { signingKey = TestKeys.SECRET } }.build()
        val issuer = JwtTokens(settings.jwt)
        val alice = issuer.issue(TokenType.ACCESS, "1").token
        val bob = issuer.issue(TokenType.ACCESS, "2").token
        assertEquals("alice", client.get("/me") { header(HttpHeaders.Authorization, "Bearer $alice") }.bodyAsText())
        val bobs = client.get("/me") { header(HttpHeaders.Authorization, "Bearer $bob") }
        assertEquals("bob", bobs.bodyAsText())
        assertEquals("MISS", bobs.headers["X-Cache-Status"])
        assertEquals("HIT", client.get("/me") { header(HttpHeaders.Authorization, "Bearer $alice") }.headers["X-Cache-Status"])
    }

    @Test
    fun `requests with credentials but no principal are not cached`() = app {
        client.get("/products/9") { header(HttpHeaders.Cookie, "session=abc") }
        val again = client.get("/products/9") { header(HttpHeaders.Cookie, "session=abc") }
        assertNull(again.headers["X-Cache-Status"])
        assertEquals(2, calls.get())
    }
}
