package dev.restflow.ktor.settings

import dev.restflow.RestflowDsl
import dev.restflow.cache.key.KeyHashAlgorithm
import java.time.Duration

/**
 * Cache and invalidation settings (`restflow.cache`), the counterpart of drf-restflow's cache settings.
 *
 * Immutable; built by [CacheSettingsBuilder].
 */
public class CacheSettings internal constructor(b: CacheSettingsBuilder) {
    /**
     * `url` (default none: in memory): the cache backend, `memory://` or `redis://[user:password@]host:port/db`
     * (`rediss://` for TLS). Built when the plugin is installed and closed when the application stops.
     */
    public val url: String? = b.url

    /** `maximum-size` (default 100000): entries the in-memory backend (and the two-tier L1) keeps. */
    public val maximumSize: Long = b.maximumSize

    /** `command-timeout` (default 50ms): the bound on every Redis command. */
    public val commandTimeout: Duration = b.commandTimeout

    /**
     * `l1-ttl` (default none): when set with a Redis `url`, a two-tier cache keeps an in-process copy this long,
     * evicted on every instance through Redis pub/sub; a lost eviction message is bounded by this TTL.
     */
    public val l1Ttl: Duration? = b.l1Ttl

    /** `max-key-suffix-length` (default 250): a longer key suffix is hashed or truncated. */
    public val maxKeySuffixLength: Int = b.maxKeySuffixLength

    /** `hash-suffix-on-overflow` (default false): hash an over-long suffix instead of truncating it. */
    public val hashSuffixOnOverflow: Boolean = b.hashSuffixOnOverflow

    /** `key-hash-algorithm` (default `sha256`; also `sha512`, `blake2b`, `md5`). */
    public val keyHashAlgorithm: KeyHashAlgorithm = b.keyHashAlgorithm

    /** `default-dispatcher` (default `inline`): the dispatcher of invalidation rules that name none. */
    public val defaultDispatcher: String = b.defaultDispatcher

    /** `dispatcher-raise-exception` (default false): whether a failing invalidation raises, unless overridden. */
    public val dispatcherRaiseException: Boolean = b.dispatcherRaiseException

    /** `dispatchers { … }`: per-dispatcher options. */
    public val dispatchers: DispatchersSettings = DispatchersSettings(b.dispatchers)

    /** A builder holding these values. */
    public fun toBuilder(): CacheSettingsBuilder = CacheSettingsBuilder().also { it.copyFrom(this) }

    override fun toString(): String =
        "CacheSettings(url=${url?.let(::redactedUrl)}, maximumSize=$maximumSize, " +
            "commandTimeout=$commandTimeout, l1Ttl=$l1Ttl, maxKeySuffixLength=$maxKeySuffixLength, hashSuffixOnOverflow=$hashSuffixOnOverflow, " +
            "keyHashAlgorithm=${keyHashAlgorithm.name}, defaultDispatcher=$defaultDispatcher, " +
            "dispatcherRaiseException=$dispatcherRaiseException, dispatchers=$dispatchers)"
}

/** Mutable values for [CacheSettings]; every property starts at its documented default. */
@RestflowDsl
public class CacheSettingsBuilder internal constructor() {
    /** See [CacheSettings.url]. */
    public var url: String? = null

    /** See [CacheSettings.maximumSize]. */
    public var maximumSize: Long = 100_000

    /** See [CacheSettings.commandTimeout]. */
    public var commandTimeout: Duration = Duration.ofMillis(50)

    /** See [CacheSettings.l1Ttl]. */
    public var l1Ttl: Duration? = null

    /** See [CacheSettings.maxKeySuffixLength]. */
    public var maxKeySuffixLength: Int = 250

    /** See [CacheSettings.hashSuffixOnOverflow]. */
    public var hashSuffixOnOverflow: Boolean = false

    /** See [CacheSettings.keyHashAlgorithm]. */
    public var keyHashAlgorithm: KeyHashAlgorithm = KeyHashAlgorithm.SHA256

    /** See [CacheSettings.defaultDispatcher]. */
    public var defaultDispatcher: String = DispatchersSettings.INLINE

    /** See [CacheSettings.dispatcherRaiseException]. */
    public var dispatcherRaiseException: Boolean = false

    /** Per-dispatcher options; from Kotlin prefer the [dispatchers] block. */
    public val dispatchers: DispatchersSettingsBuilder = DispatchersSettingsBuilder()

    /** Configures per-dispatcher options. */
    @JvmSynthetic
    public fun dispatchers(block: DispatchersSettingsBuilder.() -> Unit) {
        dispatchers.block()
    }

    internal fun copyFrom(s: CacheSettings) {
        url = s.url
        maximumSize = s.maximumSize
        commandTimeout = s.commandTimeout
        l1Ttl = s.l1Ttl
        maxKeySuffixLength = s.maxKeySuffixLength
        hashSuffixOnOverflow = s.hashSuffixOnOverflow
        keyHashAlgorithm = s.keyHashAlgorithm
        defaultDispatcher = s.defaultDispatcher
        dispatcherRaiseException = s.dispatcherRaiseException
        dispatchers.copyFrom(s.dispatchers)
    }

    internal fun validate(problems: Problems) {
        url?.let {
            val scheme = it.substringBefore("://", "").lowercase()
            if (scheme !in setOf("memory", "redis", "rediss")) {
                problems.add("restflow.cache.url: '${redactedUrl(it)}' is not a cache URL; use memory:// or redis://host:port/db")
            }
        }
        problems.atLeast("restflow.cache.maximum-size", maximumSize, 1)
        problems.positive("restflow.cache.command-timeout", commandTimeout)
        l1Ttl?.let { problems.positive("restflow.cache.l1-ttl", it) }
        problems.atLeast("restflow.cache.max-key-suffix-length", maxKeySuffixLength.toLong(), 16)
        if (defaultDispatcher !in DispatchersSettings.BUILT_IN) {
            problems.add(
                "restflow.cache.default-dispatcher: '$defaultDispatcher' is not a valid choice; " +
                    "valid choices: ${DispatchersSettings.BUILT_IN.joinToString(", ")}",
            )
        }
        dispatchers.validate(problems)
    }
}

/** [url] with any `user:password@` replaced by `***@`, for messages and logs. */
internal fun redactedUrl(url: String): String = url.replace(Regex("//[^@/]*@"), "//***@")
