package dev.restflow.ktor.settings

import java.time.Duration

/**
 * A throttle rate: at most [requests] requests per [period], written `N/period` as in DRF (`100/min`, `5/s`,
 * `1000/day`).
 *
 * Periods: `s`, `sec`, `second`, `m`, `min`, `minute`, `h`, `hour`, `d`, `day` (plurals accepted, any case).
 */
public class ThrottleRate private constructor(
    /** Requests allowed per period; at least 1. */
    public val requests: Int,
    /** The window length. */
    public val period: Duration,
) {
    override fun equals(other: Any?): Boolean =
        other is ThrottleRate && other.requests == requests && other.period == period

    override fun hashCode(): Int = 31 * requests + period.hashCode()

    /** The rate in `N/unit` form. */
    override fun toString(): String = "$requests/${unitName(period)}"

    public companion object {
        private val UNITS: Map<String, Duration> = buildMap {
            listOf("s", "sec", "secs", "second", "seconds").forEach { put(it, Duration.ofSeconds(1)) }
            listOf("m", "min", "mins", "minute", "minutes").forEach { put(it, Duration.ofMinutes(1)) }
            listOf("h", "hr", "hour", "hours").forEach { put(it, Duration.ofHours(1)) }
            listOf("d", "day", "days").forEach { put(it, Duration.ofDays(1)) }
        }

        /** Parses `N/period`; throws [IllegalArgumentException] with the accepted forms when it is not one. */
        @JvmStatic
        public fun parse(text: String): ThrottleRate =
            parseOrNull(text) ?: throw IllegalArgumentException(
                "'$text' is not a throttle rate; write N/period with period one of s, min, hour, day (e.g. 100/min)",
            )

        /** Parses `N/period`, or returns `null`. */
        @JvmStatic
        public fun parseOrNull(text: String): ThrottleRate? {
            val parts = text.trim().split('/')
            if (parts.size != 2) return null
            val n = parts[0].trim().toIntOrNull()?.takeIf { it >= 1 } ?: return null
            val period = UNITS[parts[1].trim().lowercase()] ?: return null
            return ThrottleRate(n, period)
        }

        /** A rate of [requests] per [period]. */
        @JvmStatic
        public fun of(requests: Int, period: Duration): ThrottleRate {
            require(requests >= 1) { "requests must be at least 1, got $requests" }
            require(!period.isZero && !period.isNegative) { "period must be positive, got $period" }
            return ThrottleRate(requests, period)
        }

        private fun unitName(period: Duration): String = when (period) {
            Duration.ofSeconds(1) -> "s"
            Duration.ofMinutes(1) -> "min"
            Duration.ofHours(1) -> "hour"
            Duration.ofDays(1) -> "day"
            else -> "${period.seconds}s"
        }
    }
}
