package dev.restflow.ktor.throttle

import dev.restflow.RestflowDsl
import io.ktor.server.application.RouteScopedPlugin
import io.ktor.server.application.createRouteScopedPlugin
import io.ktor.server.application.install
import io.ktor.server.auth.AuthenticationChecked
import io.ktor.server.routing.Route

/**
 * Throttles every call to the routes it is installed on, after authentication (so user throttles see the user) and
 * before the handler: `route("/search") { install(Throttles) { throttle(UserRateThrottle()) }; get { … } }`. Denials
 * answer as [checkThrottles] describes. Installation fails when a [RateThrottle] has no configured rate.
 */
public val Throttles: RouteScopedPlugin<ThrottlesConfig> =
    createRouteScopedPlugin("RestflowThrottles", ::ThrottlesConfig) {
        val throttles = pluginConfig.throttles.toList()
        throttles.filterIsInstance<RateThrottle>().forEach { it.rate(application) }
        on(AuthenticationChecked) { call -> call.checkThrottles(throttles) }
    }

/** Configuration of [Throttles]. */
@RestflowDsl
public class ThrottlesConfig internal constructor() {
    internal val throttles = mutableListOf<Throttle>()

    /** Adds [throttle]; all are evaluated, the longest wait wins. */
    public fun throttle(vararg throttle: Throttle): ThrottlesConfig = apply { throttles += throttle }
}

/** Installs [Throttles] on this route with [throttles]; also the Java entry point. */
public fun Route.throttles(vararg throttles: Throttle) {
    install(Throttles) { throttle(*throttles) }
}
