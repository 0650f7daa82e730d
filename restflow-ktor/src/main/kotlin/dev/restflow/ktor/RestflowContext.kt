package dev.restflow.ktor

import dev.restflow.ktor.auth.blacklist.BLACKLIST_NAMESPACE
import dev.restflow.cache.CacheBackend
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.cache.CacheBackends
import dev.restflow.ktor.settings.RestflowSettings
import io.micrometer.core.instrument.MeterRegistry
import java.time.Clock
import kotlinx.coroutines.sync.Semaphore
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.util.AttributeKey
import java.util.function.Consumer

internal val RestflowContextKey: AttributeKey<RestflowContext> = restflowKey("restflow.context")

/**
 * The clock the test kit (`restflowTestApplication`) puts on an application before its modules run; `Restflow` uses
 * it unless `install(Restflow) { clock = … }` names one.
 */
internal val DefaultClockKey: AttributeKey<Clock> = restflowKey("restflow.defaultClock")

/**
 * What the [Restflow] plugin holds for one application: its immutable [settings] and the services built from them
 * ([jwt], [cache], and more as features land). One per application, created at install, read-only afterwards and safe to share
 * between threads.
 */
public class RestflowContext internal constructor(
    /** The settings read at install. */
    public val settings: RestflowSettings,
    /**
     * The clock given to `install(Restflow) { clock = … }` (default `Clock.systemUTC()`); JWTs, cache TTLs, the
     * response cache and throttles read time from it.
     */
    public val clock: Clock = Clock.systemUTC(),
    /** The registry given to `install(Restflow) { meterRegistry = … }`, or `null`. */
    public val meterRegistry: MeterRegistry? = null,
) {
    /**
     * Issues and verifies JWTs per `restflow.jwt`; `null` when neither `signing-key` nor `verifying-key` is
     * configured. Built at install, so keys that do not fit the algorithm fail start-up.
     */
    public val jwt: JwtTokens? =
        if (settings.jwt.signingKey != null || settings.jwt.verifyingKey != null) JwtTokens(settings.jwt, clock) else null

    /**
     * The application's cache backend per `restflow.cache.url`: in memory by default, Redis (or two-tier with
     * `l1-ttl`) when configured. Built at install — an unreachable Redis fails start-up — and closed when the
     * application stops.
     */
    public val cache: CacheBackend = CacheBackends.fromSettings(
        settings.cache, clock,
        nearCache = if (settings.jwt.blacklistEnabled && settings.jwt.blacklistNearCache) setOf(BLACKLIST_NAMESPACE) else emptySet(),
    )

    /** Permits for streamed responses (`restflow.request.max-concurrent-streams`). */
    internal val streamPermits: Semaphore = Semaphore(settings.request.maxConcurrentStreams)

    /** Counts throttled calls (`restflow.cache.url`: Redis shared by instances, else in memory); built on first use. */
    private val throttleStoreLazy = lazy {
        dev.restflow.ktor.throttle.ThrottleStore.fromSettings(settings.cache, clock, meterRegistry)
    }
    internal val throttleStore: dev.restflow.ktor.throttle.ThrottleStore get() = throttleStoreLazy.value

    internal fun close() {
        cache.close()
        if (throttleStoreLazy.isInitialized()) throttleStore.close()
    }

    public companion object {
        /**
         * Java: installs the [Restflow] plugin in [application], configured by [configure], and returns its context.
         * Kotlin code uses `install(Restflow) { … }`.
         */
        @JvmStatic
        @JvmOverloads
        public fun install(application: Application, configure: Consumer<RestflowConfig> = Consumer { }): RestflowContext {
            application.install(Restflow) { configure.accept(this) }
            return of(application)
        }

        /** The context of [application]; throws [IllegalStateException] if Restflow is not installed. */
        @JvmStatic
        public fun of(application: Application): RestflowContext =
            application.attributes.getOrNull(RestflowContextKey)
                ?: error("Restflow is not installed in this application: call install(Restflow) first")
    }
}

/** Restflow's context of this application; throws [IllegalStateException] if Restflow is not installed. */
public val Application.restflow: RestflowContext get() = RestflowContext.of(this)
