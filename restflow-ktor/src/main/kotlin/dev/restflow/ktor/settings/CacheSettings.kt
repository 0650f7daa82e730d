package dev.restflow.ktor.settings

import dev.restflow.RestflowDsl
import dev.restflow.cache.key.KeyHashAlgorithm

/**
 * Cache and invalidation settings (`restflow.cache`), the counterpart of drf-restflow's cache settings.
 *
 * Immutable; built by [CacheSettingsBuilder].
 */
public class CacheSettings internal constructor(b: CacheSettingsBuilder) {
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
        "CacheSettings(maxKeySuffixLength=$maxKeySuffixLength, hashSuffixOnOverflow=$hashSuffixOnOverflow, " +
            "keyHashAlgorithm=${keyHashAlgorithm.name}, defaultDispatcher=$defaultDispatcher, " +
            "dispatcherRaiseException=$dispatcherRaiseException, dispatchers=$dispatchers)"
}

/** Mutable values for [CacheSettings]; every property starts at its documented default. */
@RestflowDsl
public class CacheSettingsBuilder internal constructor() {
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
        maxKeySuffixLength = s.maxKeySuffixLength
        hashSuffixOnOverflow = s.hashSuffixOnOverflow
        keyHashAlgorithm = s.keyHashAlgorithm
        defaultDispatcher = s.defaultDispatcher
        dispatcherRaiseException = s.dispatcherRaiseException
        dispatchers.copyFrom(s.dispatchers)
    }

    internal fun validate(problems: Problems) {
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
