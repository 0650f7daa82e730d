package dev.restflow.exposed.invalidation

import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Timer
import java.util.concurrent.TimeUnit

/** The Micrometer meters of a registry (`restflow.invalidation.*`); every method is a no-op without a registry. */
internal class InvalidationMetrics(private val registry: MeterRegistry?) {
    fun lag(dispatcher: String, millis: Long) {
        val r = registry ?: return
        Timer.builder("restflow.invalidation.dispatch.lag").description("From commit to applied invalidation")
            .tag("dispatcher", dispatcher).register(r).record(millis.coerceAtLeast(0), TimeUnit.MILLISECONDS)
    }

    fun failure(rule: String, dispatcher: String) {
        val r = registry ?: return
        Counter.builder("restflow.invalidation.failures").tag("rule", rule).tag("dispatcher", dispatcher).register(r).increment()
    }

    fun widened(dispatcher: String, reason: String, count: Int) {
        val r = registry ?: return
        Counter.builder("restflow.invalidation.widened").tag("dispatcher", dispatcher).tag("reason", reason).register(r)
            .increment(count.toDouble())
    }

    fun queueFull(dispatcher: String, policy: QueueFullPolicy) {
        val r = registry ?: return
        Counter.builder("restflow.invalidation.queue.full").tag("dispatcher", dispatcher)
            .tag("policy", policy.name.lowercase()).register(r).increment()
    }

    fun pendingGauge(dispatcher: InvalidationDispatcher) {
        val r = registry ?: return
        r.gauge("restflow.invalidation.pending", listOf(io.micrometer.core.instrument.Tag.of("dispatcher", dispatcher.name)), dispatcher) {
            it.pending().toDouble()
        }
    }
}
