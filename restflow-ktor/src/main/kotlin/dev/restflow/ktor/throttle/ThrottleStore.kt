package dev.restflow.ktor.throttle

import io.micrometer.core.instrument.FunctionCounter
import io.micrometer.core.instrument.MeterRegistry

import dev.restflow.ktor.settings.CacheSettings
import dev.restflow.ktor.settings.ThrottleRate
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap

/** Counts calls per key with GCRA (generic cell rate algorithm): exact at N and N+1 within one period. */
internal interface ThrottleStore : AutoCloseable {
    suspend fun acquire(key: String, rate: ThrottleRate): ThrottleDecision

    override fun close() {}

    companion object {
        fun fromSettings(settings: CacheSettings, clock: Clock, registry: MeterRegistry? = null): ThrottleStore {
            val url = settings.url
            val local = LocalThrottleStore(clock)
            if (url == null || url.startsWith("memory://", ignoreCase = true)) return local
            val redis = RedisThrottleStore(url, settings.commandTimeout, clock, local)
            if (registry != null) {
                FunctionCounter.builder("restflow.throttle.fallbacks", redis.fallbacks) { it.get().toDouble() }
                    .description("Throttle checks answered by the local limiter because Redis was down or slow")
                    .register(registry)
            }
            return redis
        }
    }
}

internal fun Instant.toMicros(): Long = epochSecond * 1_000_000 + nano / 1_000

/** The GCRA parameters of [rate] in microseconds: the emission interval and the period. */
internal fun ThrottleRate.intervalMicros(): Long = (period.toNanos() / 1_000) / requests

internal fun ThrottleRate.periodMicros(): Long = period.toNanos() / 1_000

/** One process's limiter: a theoretical arrival time per key, updated atomically. */
internal class LocalThrottleStore(private val clock: Clock) : ThrottleStore {
    private val tats = ConcurrentHashMap<String, Long>()

    override suspend fun acquire(key: String, rate: ThrottleRate): ThrottleDecision = acquireNow(key, rate)

    fun acquireNow(key: String, rate: ThrottleRate): ThrottleDecision {
        val now = clock.instant().toMicros()
        val interval = rate.intervalMicros()
        val period = rate.periodMicros()
        var wait = 0L
        tats.compute(key) { _, old ->
            val tat = maxOf(old ?: now, now)
            val next = tat + interval
            if (next - now > period) {
                wait = next - period - now
                old
            } else {
                next
            }
        }
        if (tats.size > MAX_KEYS) tats.entries.removeIf { it.value < now }
        return if (wait == 0L) ThrottleDecision.ALLOWED else ThrottleDecision.denied(Duration.ofNanos(wait * 1_000))
    }

    private companion object {
        const val MAX_KEYS = 100_000
    }
}
