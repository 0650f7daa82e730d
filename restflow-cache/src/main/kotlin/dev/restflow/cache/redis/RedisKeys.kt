package dev.restflow.cache.redis

import dev.restflow.cache.CacheEntryKey

/**
 * The Redis key layout, safe for Redis Cluster: every key of a namespace carries the namespace as its hash tag,
 * `<prefix>:{<namespace>}:<kind>:<rest>`, so the scripts touching an entry and its namespace's records stay on one
 * slot. `{`, `}` and `%` in a namespace are percent-encoded so the tag is always the whole namespace.
 *
 * Kinds: `seq` (the namespace's sequence), `inv` (namespace invalidation record), `p:<partition>` (partition
 * invalidation record), `e:<id>` (entry or tombstone hash), `l:<id>` (lease), `c:<id>` (counter).
 */
internal class RedisKeys(private val prefix: String) {
    private fun tag(namespace: String): String = buildString {
        append(prefix).append(":{")
        for (c in namespace) {
            when (c) {
                '%' -> append("%25")
                '{' -> append("%7B")
                '}' -> append("%7D")
                else -> append(c)
            }
        }
        append('}')
    }

    /** What every key of [namespace] starts with (the prefix a tracking connection listens to). */
    fun namespacePrefix(namespace: String): String = "${tag(namespace)}:"
    fun sequence(namespace: String): ByteArray = "${tag(namespace)}:seq".toByteArray()
    fun namespaceRecord(namespace: String): ByteArray = "${tag(namespace)}:inv".toByteArray()
    fun partitionRecord(namespace: String, partition: String): ByteArray = "${tag(namespace)}:p:$partition".toByteArray()
    fun entry(key: CacheEntryKey): ByteArray = entry(key.namespace, key.id)
    fun entry(namespace: String, id: String): ByteArray = "${tag(namespace)}:e:$id".toByteArray()
    fun lease(key: CacheEntryKey): ByteArray = "${tag(key.namespace)}:l:${key.id}".toByteArray()
    fun counter(key: CacheEntryKey): ByteArray = "${tag(key.namespace)}:c:${key.id}".toByteArray()

    /** For tests and tooling: the textual entry key. */
    fun entryName(key: CacheEntryKey): String = "${tag(key.namespace)}:e:${key.id}"
}
