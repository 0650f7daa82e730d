package dev.restflow.cache.function

import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Timer
import java.util.concurrent.TimeUnit

/** The Micrometer meters of one cached function; every method is a no-op without a registry. */
internal class FunctionMetrics(registry: MeterRegistry?, namespace: String, function: String) {
    private val requests: Map<CacheStatus, Counter>? = registry?.let { r ->
        CacheStatus.entries.associateWith { status ->
            Counter.builder("restflow.cache.requests").tag("namespace", namespace).tag("function", function)
                .tag("status", status.name.lowercase()).register(r)
        }
    }
    private val loads = registry?.let { counter(it, "restflow.cache.loads", namespace, function) }
    private val loadFailures = registry?.let { counter(it, "restflow.cache.load.failures", namespace, function) }
    private val degradedReads = registry?.let { counter(it, "restflow.cache.degraded.reads", namespace, function) }
    private val evictions = registry?.let { counter(it, "restflow.cache.evictions", namespace, function) }
    private val loadTimer = registry?.let {
        Timer.builder("restflow.cache.load").tag("namespace", namespace).tag("function", function).register(it)
    }

    fun request(status: CacheStatus) {
        requests?.get(status)?.increment()
    }

    fun load(nanos: Long, failed: Boolean) {
        loads?.increment()
        if (failed) loadFailures?.increment()
        loadTimer?.record(nanos, TimeUnit.NANOSECONDS)
    }

    fun degraded() {
        degradedReads?.increment()
    }

    fun eviction() {
        evictions?.increment()
    }

    private fun counter(registry: MeterRegistry, name: String, namespace: String, function: String): Counter =
        Counter.builder(name).tag("namespace", namespace).tag("function", function).register(registry)
}
