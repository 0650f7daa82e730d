package dev.restflow.ktor.settings

import dev.restflow.RestflowDsl
import io.ktor.server.config.ApplicationConfig

/**
 * Every Restflow setting, immutable and typed: the counterpart of drf-restflow's `RESTFLOW_SETTINGS`.
 *
 * Read once when the [dev.restflow.ktor.Restflow] plugin is installed — the `restflow { … }` block of the
 * application config (HOCON or YAML), then the install block's overrides — and available to every feature as
 * `application.restflow.settings` (Java: `RestflowContext.of(application).getSettings()`). Invalid
 * configuration fails at start-up with [RestflowConfigurationException]. The keys, defaults and meanings are listed
 * in `docs/settings.md`.
 */
public class RestflowSettings internal constructor(b: RestflowSettingsBuilder) {
    /** `restflow.jwt`. */
    public val jwt: JwtSettings = JwtSettings(b.jwt)

    /** `restflow.cache`. */
    public val cache: CacheSettings = CacheSettings(b.cache)

    /** `restflow.pagination`. */
    public val pagination: PaginationSettings = PaginationSettings(b.pagination)

    /** `restflow.throttle`. */
    public val throttle: ThrottleSettings = ThrottleSettings(b.throttle)

    /** `restflow.request`. */
    public val request: RequestSettings = RequestSettings(b.request)

    /** A builder holding these values, to derive changed settings (`settings.toBuilder().apply { … }.build()`). */
    public fun toBuilder(): RestflowSettingsBuilder = RestflowSettingsBuilder().also { it.copyFrom(this) }

    override fun toString(): String =
        "RestflowSettings(jwt=$jwt, cache=$cache, pagination=$pagination, throttle=$throttle, request=$request)"

    public companion object {
        /** The path of Restflow's block in the application config. */
        public const val CONFIG_PATH: String = "restflow"

        /**
         * Every configuration key Restflow reads, as full paths (`restflow.jwt.signing-key`, …);
         * `restflow.throttle.rates` holds one free-form key per throttle scope. Used to document and check configs.
         */
        @JvmStatic
        public fun configKeys(): List<String> = SettingsReader.keyPaths

        /** Settings with every default. */
        @JvmStatic
        public fun defaults(): RestflowSettings = builder().build()

        /** A builder with every default. */
        @JvmStatic
        public fun builder(): RestflowSettingsBuilder = RestflowSettingsBuilder()

        /**
         * Reads the `restflow` block of [config] (absent means all defaults); throws
         * [RestflowConfigurationException] listing every unknown key, wrong type and invalid value.
         */
        @JvmStatic
        public fun fromConfig(config: ApplicationConfig): RestflowSettings =
            builder().applyConfig(config).build()
    }
}

/**
 * Mutable values for [RestflowSettings]: start from defaults ([RestflowSettings.builder]), apply a config
 * ([applyConfig]) and code, then [build], which validates.
 *
 * Kotlin: `RestflowSettings.builder().apply { jwt { signingKey = "…" }; pagination { pageSize = 50 } }.build()`.
 * Java: `b.getJwt().setSigningKey("…"); b.getPagination().setPageSize(50); b.build()`.
 * Not thread-safe; build once at start-up.
 */
@RestflowDsl
public class RestflowSettingsBuilder internal constructor() {
    /** `restflow.jwt` values. */
    public val jwt: JwtSettingsBuilder = JwtSettingsBuilder()

    /** `restflow.cache` values. */
    public val cache: CacheSettingsBuilder = CacheSettingsBuilder()

    /** `restflow.pagination` values. */
    public val pagination: PaginationSettingsBuilder = PaginationSettingsBuilder()

    /** `restflow.throttle` values. */
    public val throttle: ThrottleSettingsBuilder = ThrottleSettingsBuilder()

    /** `restflow.request` values. */
    public val request: RequestSettingsBuilder = RequestSettingsBuilder()

    /** Configures `restflow.jwt`. */
    @JvmSynthetic public fun jwt(block: JwtSettingsBuilder.() -> Unit): Unit = jwt.block()

    /** Configures `restflow.cache`. */
    @JvmSynthetic public fun cache(block: CacheSettingsBuilder.() -> Unit): Unit = cache.block()

    /** Configures `restflow.pagination`. */
    @JvmSynthetic public fun pagination(block: PaginationSettingsBuilder.() -> Unit): Unit = pagination.block()

    /** Configures `restflow.throttle`. */
    @JvmSynthetic public fun throttle(block: ThrottleSettingsBuilder.() -> Unit): Unit = throttle.block()

    /** Configures `restflow.request`. */
    @JvmSynthetic public fun request(block: RequestSettingsBuilder.() -> Unit): Unit = request.block()

    private val configProblems = Problems()

    /**
     * Applies the `restflow` block of [config] over the current values; keys it does not mention keep their
     * values. Unknown keys, wrong types and unparsable values leave the value unchanged and are reported by [build],
     * together with every other problem.
     */
    public fun applyConfig(config: ApplicationConfig): RestflowSettingsBuilder = apply {
        SettingsReader.apply(this, config, configProblems)
    }

    /**
     * Validates the values and returns the immutable settings; throws [RestflowConfigurationException] listing every
     * problem, those found by [applyConfig] first.
     */
    public fun build(): RestflowSettings {
        val problems = Problems()
        problems.addAll(configProblems)
        jwt.validate(problems)
        cache.validate(problems)
        pagination.validate(problems)
        throttle.validate(problems)
        request.validate(problems)
        problems.throwIfAny()
        return RestflowSettings(this)
    }

    internal fun copyFrom(s: RestflowSettings) {
        jwt.copyFrom(s.jwt)
        cache.copyFrom(s.cache)
        pagination.pageSize = s.pagination.pageSize
        pagination.maxPageSize = s.pagination.maxPageSize
        throttle.rates.clear()
        throttle.rates.putAll(s.throttle.rates)
        throttle.trustedProxies = s.throttle.trustedProxies
        request.copyFrom(s.request)
    }
}
