package dev.restflow.ktor.throttle

import dev.restflow.ktor.error.ApiException
import io.ktor.server.application.ApplicationCall

/**
 * Checks every one of [throttles] (all are evaluated and counted, as in DRF) and, when any denies, throws
 * [ApiException.throttled] — 429 `throttled` with `details.retry_after_seconds` and `Retry-After` — for the longest
 * wait among the denials.
 */
public suspend fun ApplicationCall.checkThrottles(throttles: List<Throttle>) {
    var longest: ThrottleDecision? = null
    for (throttle in throttles) {
        val decision = throttle.check(this)
        if (!decision.allowed && (longest == null || decision.waitTime > longest.waitTime)) longest = decision
    }
    if (longest != null) throw ApiException.throttled(longest.retryAfterSeconds)
}
