package dev.restflow.cache

import kotlin.time.Duration

/**
 * A byte-level cache store: the one contract of [dev.restflow.cache.memory.InMemoryCacheBackend],
 * [dev.restflow.cache.redis.RedisCacheBackend] and [dev.restflow.cache.twotier.TwoTierCacheBackend]; every
 * implementation supports every operation.
 *
 * Thread-safe; every function is a suspend function that never blocks its caller's thread and honours
 * cancellation. A store that cannot answer (down, timed out, circuit open) makes the call fail with
 * [CacheUnavailableException]; programmer errors (a non-positive TTL) fail with [IllegalArgumentException].
 *
 * Invalidation never scans: [deletePartition] and [deleteNamespace] are O(1) (generation records), entries they
 * invalidate stay stored, unreadable, until their TTL ends.
 */
public interface CacheBackend : AutoCloseable {
    /** Reads [key]: a [CacheRead.Hit] with its bytes, or a [CacheRead.Miss]; both carry a [CacheStamp]. */
    public suspend fun get(key: CacheEntryKey): CacheRead

    /**
     * Reads every key of [keys] with the semantics of [get], answering in the same order. Redis reads the keys of
     * one namespace in one round trip; the default reads them one after the other.
     */
    public suspend fun getMany(keys: List<CacheEntryKey>): List<CacheRead> = keys.map { get(it) }

    /**
     * Stores [value] under [key] for [ttl] (clamped to the backend's maximum TTL).
     *
     * With [ifUnchangedSince] (the stamp of an earlier [get]) the write is refused, returning `false`, when the key
     * was written or deleted, or its partition or namespace invalidated, after that read, or when the stamp is
     * older than the backend's tombstone TTL. Without it the write always happens and returns `true`.
     */
    public suspend fun set(key: CacheEntryKey, value: ByteArray, ttl: Duration, ifUnchangedSince: CacheStamp? = null): Boolean

    /** Deletes [key]; conditional writes stamped before the delete are refused afterwards. */
    public suspend fun delete(key: CacheEntryKey)

    /** Deletes every key of [keys], with the semantics of [delete]. */
    public suspend fun deleteMany(keys: Collection<CacheEntryKey>)

    /** Invalidates every entry of [namespace] whose partition is [partition], in O(1). */
    public suspend fun deletePartition(namespace: String, partition: String)

    /** Invalidates every entry of [namespace], in O(1). Counters and leases are not affected. */
    public suspend fun deleteNamespace(namespace: String)

    /**
     * Adds [delta] to the counter [key] and returns the new value; a new counter starts at 0 and expires [ttl]
     * after its creation (later increments do not extend it), which is what fixed-window throttles need.
     * Counters live apart from entries: [get] does not see them and invalidation does not reset them.
     */
    public suspend fun increment(key: CacheEntryKey, delta: Long, ttl: Duration): Long

    /**
     * Tries to take the exclusive lease on [key] for [ttl]; `null` when another holder has it. The lease lapses
     * by itself after [ttl] if its holder dies.
     */
    public suspend fun tryAcquireLease(key: CacheEntryKey, ttl: Duration): CacheLease?

    /** Releases [lease] if it is still held by it (same fencing token); `false` when it had lapsed or been taken over. */
    public suspend fun releaseLease(lease: CacheLease): Boolean

    /**
     * `true` while the backend answers from a degraded state (its circuit breaker is open). Always `false` for
     * in-process backends.
     */
    public val isDegraded: Boolean get() = false

    /** Releases connections and threads. Idempotent; calls after closing fail with [IllegalStateException]. */
    override fun close()
}
