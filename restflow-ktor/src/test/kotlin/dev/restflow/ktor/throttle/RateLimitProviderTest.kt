package dev.restflow.ktor.throttle

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.settings.ThrottleRate
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.UserIdPrincipal
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.basic
import io.ktor.server.plugins.ratelimit.RateLimit
import io.ktor.server.plugins.ratelimit.RateLimitName
import io.ktor.server.plugins.ratelimit.rateLimit
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** Restflow throttles as providers of Ktor's own `RateLimit` plugin. */
class RateLimitProviderTest {
    @Test
    fun `a throttle limits a RateLimit route per identity, answering the throttled envelope with Retry-After`() = testApplication {
        application {
            install(Restflow) { clock = ManualClock() }
            install(Authentication) { basic { validate { if (it.password == "pw") UserIdPrincipal(it.name) else null } } }
            // region rate-limit-provider
            install(RateLimit) {
                register(RateLimitName("api")) { restflowThrottle(UserRateThrottle(ThrottleRate.parse("2/min"))) }
            }
            routing {
                authenticate(optional = true) {
                    rateLimit(RateLimitName("api")) {
                        get("/items") { call.respondText("ok") }
                    }
                }
            }
            // endregion
        }
        assertEquals(HttpStatusCode.OK, client.get("/items").status)
        assertEquals(HttpStatusCode.OK, client.get("/items").status)
        val refused = client.get("/items")
        assertEquals(HttpStatusCode.TooManyRequests, refused.status)
        assertEquals("30", refused.headers[HttpHeaders.RetryAfter])
        val body = refused.bodyAsText()
        assertTrue("\"code\":\"throttled\"" in body.replace(" ", ""), body)

        fun basic(user: String) = "Basic " + java.util.Base64.getEncoder().encodeToString("$user:pw".toByteArray())
        assertEquals(HttpStatusCode.OK, client.get("/items") { header(HttpHeaders.Authorization, basic("ann")) }.status)
        assertEquals(HttpStatusCode.OK, client.get("/items") { header(HttpHeaders.Authorization, basic("ann")) }.status)
        assertEquals(HttpStatusCode.TooManyRequests, client.get("/items") { header(HttpHeaders.Authorization, basic("ann")) }.status)
        assertEquals(HttpStatusCode.OK, client.get("/items") { header(HttpHeaders.Authorization, basic("bob")) }.status, "each user has a budget")
    }

    @Test
    fun `calls a throttle does not count are unlimited`() = testApplication {
        application {
            install(Restflow) { clock = ManualClock() }
            install(Authentication) { basic { validate { UserIdPrincipal(it.name) } } }
            install(RateLimit) {
                register(RateLimitName("anon")) { restflowThrottle(AnonRateThrottle(ThrottleRate.parse("1/min"))) }
            }
            routing {
                authenticate(optional = true) {
                    rateLimit(RateLimitName("anon")) { get("/items") { call.respondText("ok") } }
                }
            }
        }
        val auth = "Basic " + java.util.Base64.getEncoder().encodeToString("ann:x".toByteArray())
        repeat(5) { assertEquals(HttpStatusCode.OK, client.get("/items") { header(HttpHeaders.Authorization, auth) }.status) }
        assertEquals(HttpStatusCode.OK, client.get("/items").status)
        assertEquals(HttpStatusCode.TooManyRequests, client.get("/items").status)
    }
}
