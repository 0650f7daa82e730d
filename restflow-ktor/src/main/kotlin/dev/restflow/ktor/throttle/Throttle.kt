package dev.restflow.ktor.throttle

import io.ktor.server.application.ApplicationCall
import kotlinx.coroutines.future.await
import java.util.concurrent.CompletionStage

/**
 * Limits the rate of calls. [check] is called once per call and, when it allows, counts the call. Built-ins:
 * [AnonRateThrottle], [UserRateThrottle], [ScopedRateThrottle]; from Java implement one with [async].
 */
public interface Throttle {
    /**
     * Counts [call] and decides. Runs on the call's coroutine; store outages never fail it (see [RateThrottle]).
     */
    public suspend fun check(call: ApplicationCall): ThrottleDecision

    public companion object {
        /** Java: a throttle from an asynchronous [check]. */
        @JvmStatic
        public fun async(check: java.util.function.Function<ApplicationCall, out CompletionStage<ThrottleDecision>>): Throttle =
            object : Throttle {
                override suspend fun check(call: ApplicationCall): ThrottleDecision = check.apply(call).await()
            }
    }
}
