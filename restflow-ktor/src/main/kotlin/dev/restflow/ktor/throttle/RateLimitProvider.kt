package dev.restflow.ktor.throttle

import dev.restflow.ktor.restflow
import io.ktor.http.HttpHeaders
import io.ktor.server.plugins.ratelimit.RateLimitProviderConfig
import io.ktor.server.plugins.ratelimit.RateLimiter
import kotlin.time.Duration.Companion.milliseconds

/** The request key of calls [RateThrottle] does not count (e.g. an authenticated call under [AnonRateThrottle]). */
private object NotThrottled

/**
 * Makes this provider of Ktor's own `RateLimit` plugin count calls with [throttle], in Restflow's throttle store:
 *
 * ```
 * install(RateLimit) { register(RateLimitName("api")) { restflowThrottle(UserRateThrottle()) } }
 * routing { rateLimit(RateLimitName("api")) { get("/items") { … } } }
 * ```
 *
 * Calls are keyed by the throttle's identity (user, or client address through `restflow.throttle.trusted-proxies`)
 * and limited by its rate (explicit or `restflow.throttle.rates.<scope>`), with the same GCRA store as the
 * [Throttles] plugin: shared through Redis across instances, with the local fallback when Redis is down.
 * A refused call gets Ktor's 429, which the `Restflow` plugin answers as `throttled` with `Retry-After`. No
 * `X-RateLimit-*` headers are sent: the GCRA store knows when the next call is allowed, not how many remain.
 */
public fun RateLimitProviderConfig.restflowThrottle(throttle: RateThrottle) {
    requestKey { call -> throttle.storeKey(call) ?: NotThrottled }
    rateLimiter { call, key ->
        if (key === NotThrottled) {
            RateLimiter.Unlimited
        } else {
            ThrottleRateLimiter(call.application.restflow.throttleStore, key as String, throttle.rate(call.application))
        }
    }
    modifyResponse { call, state ->
        if (state is RateLimiter.State.Exhausted) {
            val seconds = (state.toWait.inWholeMilliseconds + 999) / 1000
            call.response.headers.append(HttpHeaders.RetryAfter, seconds.coerceAtLeast(1).toString(), safeOnly = false)
        }
    }
}

/** One key's view of the throttle store, as Ktor's `RateLimiter`. */
private class ThrottleRateLimiter(
    private val store: ThrottleStore,
    private val key: String,
    private val rate: dev.restflow.ktor.settings.ThrottleRate,
) : RateLimiter {
    override suspend fun tryConsume(tokens: Int): RateLimiter.State {
        var decision = ThrottleDecision.ALLOWED
        repeat(tokens.coerceAtLeast(1)) {
            decision = store.acquire(key, rate)
            if (!decision.allowed) {
                return RateLimiter.State.Exhausted(decision.waitTime.toMillis().milliseconds)
            }
        }
        return RateLimiter.State.Available(0, rate.requests, System.currentTimeMillis())
    }
}
