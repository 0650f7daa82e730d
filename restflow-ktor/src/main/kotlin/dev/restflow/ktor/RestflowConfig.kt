package dev.restflow.ktor

import dev.restflow.RestflowDsl
import dev.restflow.ktor.error.ErrorsConfig
import dev.restflow.ktor.settings.RestflowSettingsBuilder
import java.util.function.Consumer

/**
 * The `install(Restflow) { … }` block.
 *
 * Settings come from the application config's `restflow { … }` block first; [settings] blocks then override
 * them, in order. [errors] registers exception mappings for the error envelope.
 */
@RestflowDsl
public class RestflowConfig internal constructor() {
    internal val overrides: MutableList<(RestflowSettingsBuilder) -> Unit> = mutableListOf()
    internal val errors: ErrorsConfig = ErrorsConfig()
    internal var readApplicationConfig: Boolean = true

    /**
     * The clock behind every time-dependent decision of the application (default `Clock.systemUTC()`): JWT `iat`,
     * `exp` and leeway, blacklist and cache TTLs, response-cache freshness and throttle windows. Tests set a
     * settable clock (the test kit's `TestClock`) to move time without sleeping. Read once at install.
     */
    public var clock: java.time.Clock = java.time.Clock.systemUTC()
        set(value) {
            field = value
            clockSet = true
        }

    /** Whether [clock] was set; if not, a clock the test kit put on the application is used. */
    internal var clockSet: Boolean = false

    /** Java: sets [clock]. */
    public fun clock(clock: java.time.Clock): RestflowConfig = apply { this.clock = clock }

    /**
     * Where Restflow's own meters go (default none): `restflow.throttle.fallbacks` (calls the local limiter answered
     * because the Redis throttle store was down or slow, R-24) and the response cache's counters when a route does
     * not name its own registry.
     */
    public var meterRegistry: io.micrometer.core.instrument.MeterRegistry? = null

    /** Java: sets [meterRegistry]. */
    public fun meterRegistry(registry: io.micrometer.core.instrument.MeterRegistry?): RestflowConfig = apply { meterRegistry = registry }

    /** Overrides settings in code, after the application config was read. */
    @JvmSynthetic
    public fun settings(block: RestflowSettingsBuilder.() -> Unit) {
        overrides += { it.block() }
    }

    /** Java: overrides settings in code, after the application config was read. */
    public fun settings(block: Consumer<RestflowSettingsBuilder>): RestflowConfig = apply {
        overrides += { block.accept(it) }
    }

    /** Registers exception mappings for the error envelope. */
    @JvmSynthetic
    public fun errors(block: ErrorsConfig.() -> Unit) {
        errors.block()
    }

    /** Java: the exception mappings of the error envelope. */
    public fun errors(): ErrorsConfig = errors

    /**
     * Whether the application config's `restflow` block is read (default true). Turn it off to build settings from
     * code alone, e.g. in a test that must not see `application.conf`.
     */
    public fun readApplicationConfig(enabled: Boolean): RestflowConfig = apply { readApplicationConfig = enabled }
}
