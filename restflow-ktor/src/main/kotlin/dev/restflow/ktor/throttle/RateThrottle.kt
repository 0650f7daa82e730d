package dev.restflow.ktor.throttle

import dev.restflow.ktor.auth.RestflowPrincipal
import dev.restflow.ktor.restflow
import dev.restflow.ktor.settings.ThrottleRate
import io.ktor.server.application.Application
import io.ktor.server.application.ApplicationCall
import io.ktor.server.auth.UserIdPrincipal
import io.ktor.server.auth.principal

/**
 * A throttle allowing [ThrottleRate.requests] calls per [ThrottleRate.period] per identity, counted in the
 * application's throttle store: Redis when `restflow.cache.url` is Redis (one atomic GCRA Lua script, so instances
 * sharing Redis share the budget), in memory otherwise. When Redis is down or slower than
 * `restflow.cache.command-timeout`, an in-process limiter answers instead and a warning is logged (R-24).
 *
 * The rate is the explicit one given to the constructor, or `restflow.throttle.rates.<scope>`; a missing rate fails
 * installation of the [Throttles] plugin (and [checkThrottles] with [IllegalStateException]).
 */
public abstract class RateThrottle protected constructor(
    /** The scope: the rate's name in `restflow.throttle.rates` and part of the store key. */
    public val scope: String,
    private val explicitRate: ThrottleRate?,
) : Throttle {
    /** The identity to count [call] under, or `null` to not throttle it. */
    protected abstract fun identity(call: ApplicationCall): String?

    /** The rate used in [application]; throws [IllegalStateException] when none is configured. */
    public fun rate(application: Application): ThrottleRate = explicitRate
        ?: application.restflow.settings.throttle.rate(scope)
        ?: error("No throttle rate for scope '$scope': set restflow.throttle.rates.$scope (e.g. 100/min) or pass a ThrottleRate")

    override suspend fun check(call: ApplicationCall): ThrottleDecision {
        val key = storeKey(call) ?: return ThrottleDecision.ALLOWED
        return call.application.restflow.throttleStore.acquire(key, rate(call.application))
    }

    /** The store key [call] is counted under (`<scope>:<identity>`), or `null` when it is not throttled. */
    internal fun storeKey(call: ApplicationCall): String? = identity(call)?.let { "$scope:$it" }

    override fun toString(): String = "${this::class.simpleName}($scope${explicitRate?.let { ", $it" } ?: ""})"

    /** Helpers for identities. */
    protected companion object {
        /** The user id of an authenticated call (`user:<id>`), or `null`. */
        @JvmStatic
        protected fun userIdentity(call: ApplicationCall): String? {
            call.principal<RestflowPrincipal>()?.let { return "user:" + it.user.id }
            call.principal<UserIdPrincipal>()?.let { return "user:" + it.name }
            return null
        }

        /** The client address per `restflow.throttle.trusted-proxies` (`addr:<ip>`). */
        @JvmStatic
        protected fun addressIdentity(call: ApplicationCall): String = "addr:" + call.clientAddress()
    }
}

/** Throttles unauthenticated calls by client address at rate `anon` (DRF `AnonRateThrottle`); authenticated calls pass. */
public class AnonRateThrottle @JvmOverloads constructor(rate: ThrottleRate? = null) : RateThrottle("anon", rate) {
    override fun identity(call: ApplicationCall): String? =
        if (call.principal<Any>() != null) null else addressIdentity(call)
}

/** Throttles by user id at rate `user`, unauthenticated calls by client address (DRF `UserRateThrottle`). */
public class UserRateThrottle @JvmOverloads constructor(rate: ThrottleRate? = null) : RateThrottle("user", rate) {
    override fun identity(call: ApplicationCall): String = userIdentity(call) ?: addressIdentity(call)
}

/**
 * Throttles by user id (or client address) at the rate of [scope], counted separately per scope (DRF
 * `ScopedRateThrottle`, with the scope given here rather than on the view).
 */
public class ScopedRateThrottle @JvmOverloads constructor(scope: String, rate: ThrottleRate? = null) : RateThrottle(scope, rate) {
    override fun identity(call: ApplicationCall): String = userIdentity(call) ?: addressIdentity(call)
}
