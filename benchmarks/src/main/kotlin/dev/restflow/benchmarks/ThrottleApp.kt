package dev.restflow.benchmarks

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.settings.ThrottleRate
import dev.restflow.ktor.throttle.AnonRateThrottle
import dev.restflow.ktor.throttle.Throttles
import io.ktor.server.application.install
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing

/**
 * The application of the ThrottledRoute benchmark: `GET /throttled` behind the `Throttles` plugin with an
 * [AnonRateThrottle] at 1,000,000/s on the in-memory store (never refuses at this speed), and `GET /plain` without it.
 */
public object ThrottleApp {
    /** The rate of the throttle. */
    public const val RATE: String = "1000000/s"

    /** Serves both routes. */
    @JvmStatic
    public fun server(): BenchServer = BenchServer(emptyMap()) {
        install(Restflow)
        routing {
            route("/throttled") {
                install(Throttles) { throttle(AnonRateThrottle(ThrottleRate.parse(RATE))) }
                get { call.respondText("ok") }
            }
            get("/plain") { call.respondText("ok") }
        }
    }
}
