package dev.restflow.cache

/**
 * The concrete address of one cache entry as a backend sees it.
 *
 * [namespace] groups entries that are invalidated together by [CacheBackend.deleteNamespace]; [partition] groups
 * entries of one namespace invalidated together by [CacheBackend.deletePartition] (the empty string when the key
 * has no partition parts); [id] is the full rendered key, unique within the namespace. Keys built by
 * [dev.restflow.cache.key.CacheKey] render as `namespace::function-id::partition parts::suffix parts`.
 *
 * Immutable and thread-safe; equal when all three parts are equal.
 */
public class CacheEntryKey private constructor(
    /** The namespace, never empty. */
    public val namespace: String,
    /** The partition within the namespace, `""` when the key is not partitioned. */
    public val partition: String,
    /** The full key, unique within [namespace]. */
    public val id: String,
) {
    override fun equals(other: Any?): Boolean =
        other is CacheEntryKey && other.namespace == namespace && other.partition == partition && other.id == id

    override fun hashCode(): Int = (namespace.hashCode() * 31 + partition.hashCode()) * 31 + id.hashCode()

    /** The rendered key, [id]. */
    override fun toString(): String = id

    /** Factories. */
    public companion object {
        /**
         * Creates a key. Fails with [IllegalArgumentException] when [namespace] or [id] is empty.
         */
        @JvmStatic
        @JvmOverloads
        public fun of(namespace: String, id: String, partition: String = ""): CacheEntryKey {
            require(namespace.isNotEmpty()) { "a cache key needs a non-empty namespace" }
            require(id.isNotEmpty()) { "a cache key needs a non-empty id" }
            return CacheEntryKey(namespace, partition, id)
        }
    }
}
