package dev.restflow.ktor.settings

import dev.restflow.RestflowDsl

/** Throttling settings (`restflow.throttle`). */
public class ThrottleSettings internal constructor(b: ThrottleSettingsBuilder) {
    /** `rates { anon = "…", user = "…", <scope> = "…" }`: the rate of each throttle scope. */
    public val rates: Map<String, ThrottleRate> = b.rates.toMap()

    /**
     * `trusted-proxies`: addresses or CIDR blocks of reverse proxies whose `X-Forwarded-For` is believed; the
     * client address is the remote address otherwise.
     */
    public val trustedProxies: List<String> = b.trustedProxies.toList()

    /** The rate of [scope], or `null` when none is configured. */
    public fun rate(scope: String): ThrottleRate? = rates[scope]

    /** A builder holding these values. */
    public fun toBuilder(): ThrottleSettingsBuilder = ThrottleSettingsBuilder().also {
        it.rates.putAll(rates)
        it.trustedProxies = trustedProxies
    }

    override fun toString(): String = "ThrottleSettings(rates=$rates, trustedProxies=$trustedProxies)"
}

/** Mutable values for [ThrottleSettings]. */
@RestflowDsl
public class ThrottleSettingsBuilder internal constructor() {
    /** Rates by scope; [rate] adds one from text. */
    public val rates: MutableMap<String, ThrottleRate> = linkedMapOf()

    /** See [ThrottleSettings.trustedProxies]. */
    public var trustedProxies: List<String> = emptyList()

    /** Sets the rate of [scope] from `N/period` text; throws [IllegalArgumentException] for bad text. */
    public fun rate(scope: String, rate: String): ThrottleSettingsBuilder = apply { rates[scope] = ThrottleRate.parse(rate) }

    /** Sets the rate of [scope]. */
    public fun rate(scope: String, rate: ThrottleRate): ThrottleSettingsBuilder = apply { rates[scope] = rate }

    internal fun validate(problems: Problems) {
        rates.keys.filter { it.isBlank() || !it.matches(SCOPE) }.forEach {
            problems.add("restflow.throttle.rates.$it: a scope name uses letters, digits, '-', '_' and '.'")
        }
        trustedProxies.filterNot(ProxyAddresses::isValid).forEach {
            problems.add("restflow.throttle.trusted-proxies: '$it' is not an IP address or CIDR block")
        }
    }

    private companion object {
        val SCOPE = Regex("[A-Za-z0-9_.-]+")
    }
}
