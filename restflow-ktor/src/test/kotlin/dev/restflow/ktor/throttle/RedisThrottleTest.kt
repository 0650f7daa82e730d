package dev.restflow.ktor.throttle

import dev.restflow.ktor.Restflow
import dev.restflow.testing.TestServices
import io.ktor.client.request.get
import io.ktor.server.application.install
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.TestApplication
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.time.Duration
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals

/** The Redis GCRA store: one budget shared by instances, and a local limiter while Redis is down. */
class RedisThrottleTest {
    private val clock = ManualClock()
    private val registry = io.micrometer.core.instrument.simple.SimpleMeterRegistry()

    /** An instance throttling `/r` at [rate] in [scope], and `/r2` at the same rate in scope `<scope>-2`. */
    private fun instance(redisUrl: String, scope: String, rate: String, vararg extra: Pair<String, String>): TestApplication = TestApplication {
        environment {
            config = MapApplicationConfig(
                "restflow.cache.url" to redisUrl,
                "restflow.throttle.rates.$scope" to rate,
                "restflow.throttle.rates.$scope-2" to rate,
                *extra,
            )
        }
        application {
            install(Restflow) {
                clock = this@RedisThrottleTest.clock
                meterRegistry = registry
            }
            routing {
                route("/r") {
                    install(Throttles) { throttle(ScopedRateThrottle(scope)) }
                    get { call.respondText("ok") }
                }
                route("/r2") {
                    install(Throttles) { throttle(ScopedRateThrottle("$scope-2")) }
                    get { call.respondText("ok") }
                }
            }
        }
    }

    @Test
    fun `two instances sharing Redis share one budget (R-23)`(): Unit = runBlocking {
        val scope = "shared-" + UUID.randomUUID().toString().take(8)
        val a = instance(TestServices.redisUri(), scope, "6/min")
        val b = instance(TestServices.redisUri(), scope, "6/min")
        try {
            val statuses = (1..14).map { i -> (if (i % 2 == 0) a else b).client.get("/r").status.value }
            assertEquals(6, statuses.count { it == 200 }, "$statuses")
            assertEquals(8, statuses.count { it == 429 })
            clock.advance(Duration.ofSeconds(10))
            assertEquals(200, a.client.get("/r").status.value, "one emission interval later one more call fits")
            assertEquals(429, b.client.get("/r").status.value)
        } finally {
            a.stop()
            b.stop()
        }
    }

    @Test
    fun `with Redis down calls are still answered and limited by the local fallback (R-24)`(): Unit = runBlocking {
        val server = TestServices.newRedisServer()
        val scope = "fallback-" + UUID.randomUUID().toString().take(8)
        val app = instance(server.uri, scope, "3/min")
        try {
            assertEquals(200, app.client.get("/r").status.value)
            server.stop()
            val statuses = (1..5).map { app.client.get("/r").status.value }
            assertEquals(listOf(200, 200, 200, 429, 429), statuses, "the local limiter takes over with the full rate")
            assertEquals(5.0, registry.get("restflow.throttle.fallbacks").functionCounter().count(), "the R-24 metric counts them")
        } finally {
            app.stop()
            server.stop()
        }
    }

    @Test
    fun `with Redis frozen calls are answered within the command timeout and limited locally, then Redis is used again (R-24)`(): Unit =
        runBlocking {
            val server = TestServices.newRedisServer()
            val scope = "frozen-" + UUID.randomUUID().toString().take(8)
            val a = instance(server.uri, scope, "3/min", "restflow.cache.command-timeout" to "200ms")
            val b = instance(server.uri, scope, "3/min", "restflow.cache.command-timeout" to "200ms")
            try {
                assertEquals(200, a.client.get("/r").status.value, "Redis answers")
                server.freeze()
                val frozen = try {
                    // a hang guard, far above the 200 ms bound and far below the client library's 60 s default
                    withTimeout(Duration.ofSeconds(20).toMillis()) { (1..5).map { a.client.get("/r").status.value } }
                } finally {
                    server.thaw()
                }
                assertEquals(listOf(200, 200, 200, 429, 429), frozen, "the local limiter answers with the full rate")

                // Redis again: b spends the budget of /r2 in Redis; a, whose local limiter never saw /r2, is refused
                // only if it asks Redis.
                val spent = withTimeout(Duration.ofSeconds(20).toMillis()) { (1..3).map { b.client.get("/r2").status.value } }
                assertEquals(listOf(200, 200, 200), spent)
                assertEquals(429, withTimeout(Duration.ofSeconds(20).toMillis()) { a.client.get("/r2").status.value })
            } finally {
                a.stop()
                b.stop()
                server.close()
            }
        }
}
