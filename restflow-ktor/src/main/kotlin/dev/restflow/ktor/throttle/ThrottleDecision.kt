package dev.restflow.ktor.throttle

import java.time.Duration

/** The outcome of one [Throttle.check]: allowed, or denied until [waitTime] has passed. */
public class ThrottleDecision private constructor(
    /** Whether the call may proceed. */
    public val allowed: Boolean,
    /** How long the caller should wait before retrying; zero when [allowed]. */
    public val waitTime: Duration,
) {
    /** [waitTime] in whole seconds, rounded up (at least 1 when denied): the `Retry-After` value. */
    public val retryAfterSeconds: Long
        get() = if (allowed) 0 else ((waitTime.toMillis() + 999) / 1000).coerceAtLeast(1)

    override fun toString(): String = if (allowed) "ThrottleDecision(allowed)" else "ThrottleDecision(wait=$waitTime)"

    public companion object {
        /** The call may proceed. */
        @JvmField
        public val ALLOWED: ThrottleDecision = ThrottleDecision(true, Duration.ZERO)

        /** The call is denied for [wait] (a non-positive wait is treated as 1 ms). */
        @JvmStatic
        public fun denied(wait: Duration): ThrottleDecision =
            ThrottleDecision(false, if (wait.isNegative || wait.isZero) Duration.ofMillis(1) else wait)
    }
}
