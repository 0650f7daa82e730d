package dev.restflow.ktor.throttle

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.permission.alice
import dev.restflow.ktor.settings.ThrottleRate
import io.ktor.client.request.bearerAuth
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.bearer
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.Route
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import java.time.Duration
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class ThrottleTest {
    private val clock = ManualClock()

    private fun app(vararg config: Pair<String, String>, routes: Route.() -> Unit, block: suspend ApplicationTestBuilder.() -> Unit) =
        testApplication {
            environment { this.config = MapApplicationConfig(*config) }
            application {
                install(Restflow) { clock = this@ThrottleTest.clock }
                install(Authentication) { bearer { authenticate { if (it.token == "alice") alice else null } } }
                routing { authenticate(optional = true) { routes() } }
            }
            block()
        }

    private suspend fun ApplicationTestBuilder.statuses(path: String, n: Int, token: String? = null): List<Int> =
        (1..n).map { client.get(path) { if (token != null) bearerAuth(token) }.status.value }

    @Test
    fun `a throttle allows exactly N calls in a period and refuses the N+1th with 429, Retry-After and details`() = app(
        "restflow.throttle.rates.user" to "3/min",
        routes = { route("/r") { install(Throttles) { throttle(UserRateThrottle()) }; get { call.respondText("ok") } } },
    ) {
        assertEquals(listOf(200, 200, 200), statuses("/r", 3))
        val refused = client.get("/r")
        assertEquals(429, refused.status.value)
        assertEquals("20", refused.headers[HttpHeaders.RetryAfter])
        val body = refused.bodyAsText()
        assertTrue(body.contains("\"code\":\"throttled\""), body)
        assertTrue(body.contains("\"retry_after_seconds\":20"), body)
        clock.advance(Duration.ofSeconds(19))
        assertEquals(429, client.get("/r").status.value)
        clock.advance(Duration.ofSeconds(1))
        assertEquals(listOf(200, 429), statuses("/r", 2))
        clock.advance(Duration.ofMinutes(1))
        assertEquals(listOf(200, 200, 200, 429), statuses("/r", 4))
    }

    @Test
    fun `users are counted apart from each other and from anonymous callers`() = app(
        routes = {
            route("/r") {
                throttles(UserRateThrottle(ThrottleRate.parse("1/min")))
                get { call.respondText("ok") }
            }
        },
    ) {
        assertEquals(listOf(200, 429), statuses("/r", 2))
        assertEquals(listOf(200, 429), statuses("/r", 2, token = "alice"))
    }

    @Test
    fun `the anon throttle leaves authenticated callers alone`() = app(
        "restflow.throttle.rates.anon" to "1/hour",
        routes = { route("/r") { throttles(AnonRateThrottle()); get { call.respondText("ok") } } },
    ) {
        assertEquals(listOf(200, 429), statuses("/r", 2))
        assertEquals(listOf(200, 200, 200), statuses("/r", 3, token = "alice"))
    }

    @Test
    fun `every throttle is evaluated and the longest wait wins`() {
        var counted = 0
        val counting = object : Throttle {
            override suspend fun check(call: ApplicationCall): ThrottleDecision {
                counted++
                return ThrottleDecision.ALLOWED
            }
        }
        app(
            "restflow.throttle.rates.burst" to "1/s",
            "restflow.throttle.rates.sustained" to "2/min",
            routes = {
                route("/r") {
                    throttles(ScopedRateThrottle("burst"), ScopedRateThrottle("sustained"), counting)
                    get { call.respondText("ok") }
                }
            },
        ) {
            assertEquals(200, client.get("/r").status.value)
            val burstOnly = client.get("/r") // counted by "sustained" (its second call), refused by "burst"
            assertEquals("1", burstOnly.headers[HttpHeaders.RetryAfter])
            clock.advance(Duration.ofSeconds(1))
            assertEquals("29", client.get("/r").headers[HttpHeaders.RetryAfter], "only sustained refuses")
            val both = client.get("/r")
            assertEquals(429, both.status.value)
            assertEquals("29", both.headers[HttpHeaders.RetryAfter], "sustained (29 s) outweighs burst (1 s)")
            assertEquals(4, counted, "the last throttle was evaluated on refused calls too")
        }
    }

    @Test
    fun `X-Forwarded-For from an untrusted peer does not change the client identity`() = app(
        routes = {
            route("/r") {
                throttles(AnonRateThrottle(ThrottleRate.parse("1/min")))
                get { call.respondText(call.clientAddress()) }
            }
        },
    ) {
        val first = client.get("/r") { header("X-Forwarded-For", "203.0.113.1") }
        assertEquals(200, first.status.value)
        assertEquals(429, client.get("/r") { header("X-Forwarded-For", "203.0.113.2") }.status.value)
    }

    @Test
    fun `X-Forwarded-For is followed through trusted proxies to the rightmost untrusted hop`() {
        val trusted = listOf("10.0.0.0/8", "192.168.1.1", "2001:db8::/32")
        assertEquals("203.0.113.9", ClientAddresses.resolve("10.1.2.3", listOf("198.51.100.7, 203.0.113.9, 192.168.1.1"), trusted))
        assertEquals("10.1.2.3", ClientAddresses.resolve("10.1.2.3", null, trusted))
        assertEquals("198.51.100.7", ClientAddresses.resolve("2001:db8::1", listOf("198.51.100.7"), trusted))
        assertEquals("198.51.100.50", ClientAddresses.resolve("198.51.100.50", listOf("1.2.3.4"), trusted), "peer not trusted")
        assertEquals("10.1.2.3", ClientAddresses.resolve("10.1.2.3", listOf("not-an-ip"), trusted), "garbage hop")
        assertEquals("10.0.0.5", ClientAddresses.resolve("10.1.2.3", listOf("10.0.0.5, 10.0.0.6"), trusted), "all trusted: the leftmost")
        assertEquals("192.168.1.2", ClientAddresses.resolve("192.168.1.1", listOf("192.168.1.2"), trusted))
        assertEquals("localhost", ClientAddresses.resolve("localhost", listOf("1.2.3.4"), trusted), "no DNS for names")
    }

    @Test
    fun `a throttle without a rate fails installation with the setting to add`() {
        val e = assertFailsWith<IllegalStateException> {
            app(routes = { route("/r") { throttles(ScopedRateThrottle("search")); get { } } }) { client.get("/r") }
        }
        assertTrue(e.message!!.contains("restflow.throttle.rates.search"), e.message)
    }
}
