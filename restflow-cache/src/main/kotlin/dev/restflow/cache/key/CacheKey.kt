package dev.restflow.cache.key

import dev.restflow.cache.CacheEntryKey

/**
 * A key constructor: turns a cached function's arguments into a [CacheEntryKey] laid out as
 * `namespace::function-id@version[#fingerprint]::partition parts::suffix parts`.
 *
 * Parts render as `name=value` joined by `&`, multi-values sorted and joined by `,`, parameter maps sorted by name;
 * every separator inside names and values is percent-encoded, so different part lists never produce the same key.
 * A suffix longer than [maxSuffixLength] is replaced by `#<algorithm>-<digest>` (or cut, when built with
 * truncation). Build one with [cacheKey] in Kotlin or [builder] in Java. Immutable and thread-safe.
 */
public class CacheKey<in Args> internal constructor(
    /** The namespace: the unit of [dev.restflow.cache.CacheBackend.deleteNamespace]. */
    public val namespace: String,
    /** Tells apart the functions sharing a namespace. */
    public val functionId: String,
    /** Part of every key: bump it to abandon all entries written by an earlier version. */
    public val version: String,
    private val fingerprint: String?,
    private val partitions: List<KeyPart<Args>>,
    private val suffixes: List<KeyPart<Args>>,
    /** The longest suffix kept verbatim. */
    public val maxSuffixLength: Int,
    private val overflowHash: KeyHashAlgorithm?,
) {
    private val head: String = buildString {
        append(KeyEscaping.escape(namespace)).append("::").append(KeyEscaping.escape(functionId))
        append('@').append(KeyEscaping.escape(version))
        if (fingerprint != null) append('#').append(fingerprint)
        append("::")
    }

    /** The names of the partition parts, in declaration order. */
    public val partitionNames: List<String> get() = partitions.map { it.name }

    /** The backend key for [args]. Fails only if an extractor throws. */
    public fun entryKey(args: Args): CacheEntryKey {
        val partition = partition(args)
        return CacheEntryKey.of(namespace, head + partition + "::" + suffix(args), partition)
    }

    /** The rendered key for [args], the `id` of [entryKey]. */
    public fun render(args: Args): String = entryKey(args).id

    /** The partition string of [args]: what [dev.restflow.cache.CacheBackend.deletePartition] takes. */
    public fun partition(args: Args): String = partitions.joinToString("&") { it.render(args) }

    /**
     * The partition string for explicit values by partition name, for invalidating without an `Args` instance.
     * Fails with [IllegalArgumentException] when a partition name is missing or unknown.
     */
    public fun partitionOf(values: Map<String, Any?>): String {
        val unknown = values.keys - partitions.map { it.name }.toSet()
        require(unknown.isEmpty()) { "unknown partition parts $unknown; this key's partition parts are $partitionNames" }
        return partitions.joinToString("&") { part ->
            require(part.name in values) { "missing partition part '${part.name}'; give all of $partitionNames" }
            KeyPart.single(part.name, values[part.name])
        }
    }

    private fun suffix(args: Args): String {
        val full = suffixes.joinToString("&") { it.render(args) }
        if (full.length <= maxSuffixLength) return full
        val hash = overflowHash ?: return full.take(maxSuffixLength)
        return "#" + hash.name + "-" + hash.hash(full.toByteArray())
    }

    override fun toString(): String = "CacheKey($head…)"

    /** Java entry point. */
    public companion object {
        /** A builder for keys in [namespace], for Java: `CacheKey.<Args>builder("users").partition(...).build()`. */
        @JvmStatic
        public fun <Args> builder(namespace: String): CacheKeyBuilder<Args> = CacheKeyBuilder(namespace)
    }
}

/**
 * Builds a [CacheKey] for functions taking [Args]:
 *
 * ```
 * val byUser = cacheKey<UserQuery>("users") {
 *     function("get-user")
 *     partition("user_id") { it.userId }
 *     constant("v", "1")
 *     params("q") { it.query }
 * }
 * ```
 *
 * Fails with [IllegalArgumentException] on an empty namespace, duplicate part names or a non-positive
 * [CacheKeyBuilder.maxSuffixLength].
 */
public fun <Args> cacheKey(namespace: String, block: CacheKeyBuilder<Args>.() -> Unit): CacheKey<Args> =
    CacheKeyBuilder<Args>(namespace).apply(block).build()
