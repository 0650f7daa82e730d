package dev.restflow.docs

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.permission.IsAuthenticated
import dev.restflow.ktor.permission.Permissions
import dev.restflow.ktor.settings.ThrottleRate
import dev.restflow.ktor.throttle.AnonRateThrottle
import dev.restflow.ktor.throttle.ScopedRateThrottle
import dev.restflow.ktor.throttle.Throttle
import dev.restflow.ktor.throttle.ThrottleDecision
import dev.restflow.ktor.throttle.Throttles
import dev.restflow.ktor.throttle.UserRateThrottle
import dev.restflow.ktor.throttle.clientAddress
import dev.restflow.ktor.throttle.throttles
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.request.post
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import java.time.Duration
import kotlin.test.Test
import kotlin.test.assertEquals

class ThrottlingSnippets {
    @Test
    fun `the call after the rate is a 429 with Retry-After`() = testApplication {
        environment {
            config = MapApplicationConfig(
                "restflow.throttle.rates.anon" to "2/hour",
                "restflow.throttle.rates.user" to "1000/day",
                "restflow.throttle.rates.login" to "5/min",
            )
        }
        application {
            install(Restflow)
            // region throttles-plugin
            routing {
                route("/search") {
                    install(Throttles) { throttle(AnonRateThrottle(), UserRateThrottle()) }
                    get { call.respondText("results") }
                }
                route("/login") {
                    throttles(ScopedRateThrottle("login")) // shorthand for install(Throttles) { throttle(…) }
                    post { call.respondText("welcome") }
                }
                route("/export") {
                    throttles(UserRateThrottle(ThrottleRate.parse("10/day"))) // an explicit rate, not from settings
                    get { call.respondText("csv") }
                }
            }
            // endregion
        }
        assertEquals("results", client.get("/search").bodyAsText())
        assertEquals("results", client.get("/search").bodyAsText())
        val refused = client.get("/search")
        assertEquals(429, refused.status.value)
        assertEquals("1800", refused.headers[HttpHeaders.RetryAfter])
        assertEquals(
            """{"error":{"code":"throttled","message":"Request was throttled. Expected available in 1800 seconds.","details":{"retry_after_seconds":1800}}}""",
            refused.bodyAsText(),
        )
        assertEquals("welcome", client.post("/login").bodyAsText())
        assertEquals("csv", client.get("/export").bodyAsText())
    }

    @Test
    fun `throttles run before permissions when installed first`() = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to "change-me-to-a-long-random-secret-value") }
        application {
            install(Restflow)
            routing {
                // region throttles-then-permissions
                route("/admin") {
                    install(Throttles) { throttle(AnonRateThrottle(ThrottleRate.parse("1/min"))) }
                    install(Permissions) { require(IsAuthenticated) }
                    get { call.respondText("admin") }
                }
                // endregion
            }
        }
        assertEquals(401, client.get("/admin").status.value, "counted, then refused by the permission")
        assertEquals(429, client.get("/admin").status.value, "the throttle answers first")
    }

    @Test
    fun `a custom throttle and the client address`() = testApplication {
        application {
            install(Restflow)
            routing {
                // region custom-throttle
                val maintenance = object : Throttle {
                    override suspend fun check(call: ApplicationCall): ThrottleDecision =
                        if (call.request.headers["X-Maintenance"] == "on") ThrottleDecision.denied(Duration.ofMinutes(5))
                        else ThrottleDecision.ALLOWED
                }
                route("/orders") {
                    throttles(maintenance)
                    get { call.respondText("orders for ${call.clientAddress()}") }
                }
                // endregion
            }
        }
        assertEquals("orders for localhost", client.get("/orders") { header("X-Forwarded-For", "203.0.113.9") }.bodyAsText())
        assertEquals("300", client.get("/orders") { header("X-Maintenance", "on") }.headers[HttpHeaders.RetryAfter])
    }
}
