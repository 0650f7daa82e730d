package dev.restflow.cache.redis

import java.time.Clock
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong

/**
 * A consecutive-failure circuit breaker: after [failureThreshold] failures in a row it opens for [openMillis],
 * during which [allowRequest] is `false`; then one trial request is let through (half-open) while the others keep
 * failing fast: its success closes the breaker, its failure opens it again. Thread-safe and lock-free.
 */
internal class CircuitBreaker(
    private val failureThreshold: Int,
    private val openMillis: Long,
    private val clock: Clock,
) {
    private val failures = AtomicInteger()
    private val openUntil = AtomicLong(0)

    val isOpen: Boolean get() = failures.get() >= failureThreshold

    fun allowRequest(): Boolean {
        if (failures.get() < failureThreshold) return true
        val now = clock.millis()
        val until = openUntil.get()
        if (now < until) return false
        return openUntil.compareAndSet(until, now + openMillis)
    }

    fun onSuccess() {
        failures.set(0)
    }

    fun onFailure() {
        if (failures.incrementAndGet() >= failureThreshold) openUntil.set(clock.millis() + openMillis)
    }
}
