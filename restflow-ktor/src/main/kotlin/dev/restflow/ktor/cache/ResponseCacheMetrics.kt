package dev.restflow.ktor.cache

import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.MeterRegistry

/** The Micrometer counters of one response cache; every method is a no-op without a registry. */
internal class ResponseCacheMetrics(registry: MeterRegistry?, namespace: String) {
    private val requests: Map<String, Counter>? = registry?.let { r ->
        STATUSES.associateWith { status ->
            Counter.builder("restflow.response_cache.requests").tag("namespace", namespace).tag("status", status).register(r)
        }
    }
    private val degraded: Counter? =
        registry?.let { Counter.builder("restflow.response_cache.degraded").tag("namespace", namespace).register(it) }

    fun request(status: String) {
        requests?.get(status)?.increment()
    }

    fun degraded() {
        degraded?.increment()
    }

    private companion object {
        val STATUSES = listOf("hit", "miss", "stale", "refresh", "bypass")
    }
}
