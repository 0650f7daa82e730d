package dev.restflow.ktor.settings

import java.time.Duration
import java.time.format.DateTimeParseException

/** Parsers for the textual forms settings accept, shared by the config reader and the docs. */
internal object ConfigValues {
    private val DURATION = Regex("(\\d+)\\s*([a-zA-Z]+)")
    private val SIZE = Regex("(\\d+)\\s*([a-zA-Z]*)")

    private val DURATION_UNITS: Map<String, (Long) -> Duration> = buildMap {
        listOf("ms", "milli", "millis", "millisecond", "milliseconds").forEach { put(it, Duration::ofMillis) }
        listOf("s", "sec", "secs", "second", "seconds").forEach { put(it, Duration::ofSeconds) }
        listOf("m", "min", "mins", "minute", "minutes").forEach { put(it, Duration::ofMinutes) }
        listOf("h", "hr", "hrs", "hour", "hours").forEach { put(it, Duration::ofHours) }
        listOf("d", "day", "days").forEach { put(it, Duration::ofDays) }
        listOf("w", "week", "weeks").forEach { unit -> put(unit) { n: Long -> Duration.ofDays(n * 7) } }
    }

    private val SIZE_UNITS: Map<String, Long> = mapOf(
        "" to 1L, "b" to 1L,
        "k" to 1024L, "kb" to 1024L, "kib" to 1024L,
        "m" to 1024L * 1024, "mb" to 1024L * 1024, "mib" to 1024L * 1024,
        "g" to 1024L * 1024 * 1024, "gb" to 1024L * 1024 * 1024, "gib" to 1024L * 1024 * 1024,
    )

    private val TRUE = setOf("true", "yes", "on", "1")
    private val FALSE = setOf("false", "no", "off", "0")

    const val DURATION_FORMS: String = "a duration such as 30s, 5m, 1h, 1d or ISO-8601 (PT5M)"

    /** `5m`, `1d`, `30 seconds`, `500ms`, `PT5M`, `P1D`; a bare number is seconds. */
    fun duration(text: String): Duration? {
        val t = text.trim()
        if (t.isEmpty()) return null
        if (t[0] == 'P' || t[0] == 'p' || t.startsWith("-P")) {
            return try {
                Duration.parse(t.uppercase())
            } catch (_: DateTimeParseException) {
                null
            }
        }
        t.toLongOrNull()?.let { return Duration.ofSeconds(it) }
        val m = DURATION.matchEntire(t) ?: return null
        val n = m.groupValues[1].toLongOrNull() ?: return null
        return DURATION_UNITS[m.groupValues[2].lowercase()]?.invoke(n)
    }

    /** `1048576`, `512KB`, `10MB`, `1GB` (powers of 1024). */
    fun size(text: String): Long? {
        val m = SIZE.matchEntire(text.trim()) ?: return null
        val n = m.groupValues[1].toLongOrNull() ?: return null
        val unit = SIZE_UNITS[m.groupValues[2].lowercase()] ?: return null
        return Math.multiplyHigh(n, unit).takeIf { it == 0L }?.let { n * unit }
    }

    fun boolean(text: String): Boolean? = when (text.trim().lowercase()) {
        in TRUE -> true
        in FALSE -> false
        else -> null
    }
}
