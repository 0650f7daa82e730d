package dev.restflow.cache.memory

import com.github.benmanes.caffeine.cache.Cache
import com.github.benmanes.caffeine.cache.Caffeine
import com.github.benmanes.caffeine.cache.Expiry
import com.github.benmanes.caffeine.cache.Ticker
import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheLease
import dev.restflow.cache.CacheRead
import dev.restflow.cache.CacheStamp
import dev.restflow.cache.positiveMillis
import java.time.Clock
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import kotlin.time.Duration

/**
 * An in-process [CacheBackend] on Caffeine: bounded by entry count, with a TTL per entry measured on an injected
 * [Clock] (so tests move time instead of sleeping).
 *
 * Partition and namespace invalidation are O(1): they record an invalidation sequence number, and entries written
 * before it become unreadable (and are dropped by their TTL or by size eviction). Conditional writes, deletes and
 * invalidations of one namespace are serialised by a lock stripe; reads never lock. Deletes leave a tombstone for the
 * tombstone TTL so that a conditional write stamped before the delete is refused.
 *
 * Never degraded; [close] empties it. Build it with [builder] (or [create] for the defaults).
 */
public class InMemoryCacheBackend private constructor(builder: Builder) : CacheBackend {
    private val clock: Clock = builder.clock
    private val maximumTtlMillis: Long = builder.maximumTtl.toMillis()
    private val tombstoneTtlMillis: Long = builder.tombstoneTtl.toMillis()
    private val sequence = AtomicLong()
    private val ticker = Ticker { TimeUnit.MILLISECONDS.toNanos(clock.millis()) }
    private val stripes = Array(STRIPES) { Any() }

    @Volatile
    private var closed = false

    private val entries: Cache<CacheEntryKey, Stored> = expiring<Stored>().maximumSize(builder.maximumSize).build()
    private val tombstones: Cache<CacheEntryKey, Stored> = expiring<Stored>().build()
    private val counters: Cache<CacheEntryKey, Stored> = expiring<Stored>().build()
    private val leases: Cache<CacheEntryKey, Stored> = expiring<Stored>().build()
    private val namespaceInvalidations = ConcurrentHashMap<String, Long>()
    private val partitionInvalidations: Cache<Pair<String, String>, Long> = Caffeine.newBuilder()
        .ticker(ticker)
        .executor(Runnable::run)
        .expireAfterWrite(maximumTtlMillis + tombstoneTtlMillis, TimeUnit.MILLISECONDS)
        .build()

    /** One stored record: an entry, a tombstone, a counter or a lease, all expiring at [expiresAtMillis]. */
    private class Stored(val value: ByteArray?, val seq: Long, val expiresAtMillis: Long, val count: Long = 0)

    private fun <V : Stored> expiring(): Caffeine<Any, V> = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).expireAfter(
        object : Expiry<Any, V> {
            override fun expireAfterCreate(key: Any, value: V, currentTime: Long): Long =
                TimeUnit.MILLISECONDS.toNanos(value.expiresAtMillis) - currentTime

            override fun expireAfterUpdate(key: Any, value: V, currentTime: Long, currentDuration: Long): Long =
                TimeUnit.MILLISECONDS.toNanos(value.expiresAtMillis) - currentTime

            override fun expireAfterRead(key: Any, value: V, currentTime: Long, currentDuration: Long): Long =
                currentDuration
        },
    )

    override suspend fun get(key: CacheEntryKey): CacheRead {
        checkOpen()
        val stamp = CacheStamp(sequence.get(), clock.millis())
        val entry = entries.getIfPresent(key)
        return if (entry != null && isValid(key, entry, stamp.issuedAtMillis)) {
            CacheRead.Hit(entry.value!!, Instant.ofEpochMilli(entry.expiresAtMillis), stamp)
        } else {
            CacheRead.Miss(stamp)
        }
    }

    private fun isValid(key: CacheEntryKey, entry: Stored, now: Long): Boolean =
        entry.expiresAtMillis > now &&
            entry.seq > (namespaceInvalidations[key.namespace] ?: 0L) &&
            entry.seq > (partitionInvalidations.getIfPresent(key.namespace to key.partition) ?: 0L)

    override suspend fun set(key: CacheEntryKey, value: ByteArray, ttl: Duration, ifUnchangedSince: CacheStamp?): Boolean {
        checkOpen()
        val ttlMillis = positiveMillis(ttl).coerceAtMost(maximumTtlMillis)
        synchronized(lockFor(key.namespace)) {
            val now = clock.millis()
            if (ifUnchangedSince != null && !unchangedSince(key, ifUnchangedSince, now)) return false
            entries.put(key, Stored(value, sequence.incrementAndGet(), now + ttlMillis))
            tombstones.invalidate(key)
        }
        return true
    }

    private fun unchangedSince(key: CacheEntryKey, stamp: CacheStamp, now: Long): Boolean {
        val s = stamp.sequence
        if (now - stamp.issuedAtMillis > tombstoneTtlMillis) return false
        if ((namespaceInvalidations[key.namespace] ?: 0L) > s) return false
        if ((partitionInvalidations.getIfPresent(key.namespace to key.partition) ?: 0L) > s) return false
        if ((tombstones.getIfPresent(key)?.seq ?: 0L) > s) return false
        return (entries.getIfPresent(key)?.seq ?: 0L) <= s
    }

    override suspend fun delete(key: CacheEntryKey) {
        checkOpen()
        synchronized(lockFor(key.namespace)) {
            entries.invalidate(key)
            tombstones.put(key, Stored(null, sequence.incrementAndGet(), clock.millis() + tombstoneTtlMillis))
        }
    }

    override suspend fun deleteMany(keys: Collection<CacheEntryKey>) {
        for (key in keys) delete(key)
    }

    override suspend fun deletePartition(namespace: String, partition: String) {
        checkOpen()
        synchronized(lockFor(namespace)) {
            partitionInvalidations.put(namespace to partition, sequence.incrementAndGet())
        }
    }

    override suspend fun deleteNamespace(namespace: String) {
        checkOpen()
        synchronized(lockFor(namespace)) {
            namespaceInvalidations[namespace] = sequence.incrementAndGet()
        }
    }

    override suspend fun increment(key: CacheEntryKey, delta: Long, ttl: Duration): Long {
        checkOpen()
        val ttlMillis = positiveMillis(ttl)
        val now = clock.millis()
        val updated = counters.asMap().compute(key) { _, old ->
            if (old == null || old.expiresAtMillis <= now) {
                Stored(null, 0, now + ttlMillis, delta)
            } else {
                Stored(null, 0, old.expiresAtMillis, old.count + delta)
            }
        }!!
        return updated.count
    }

    override suspend fun tryAcquireLease(key: CacheEntryKey, ttl: Duration): CacheLease? {
        checkOpen()
        val ttlMillis = positiveMillis(ttl)
        val now = clock.millis()
        var granted: Stored? = null
        leases.asMap().compute(key) { _, old ->
            if (old != null && old.expiresAtMillis > now) {
                old
            } else {
                Stored(null, sequence.incrementAndGet(), now + ttlMillis).also { granted = it }
            }
        }
        return granted?.let { CacheLease(key, it.seq, Instant.ofEpochMilli(it.expiresAtMillis)) }
    }

    override suspend fun releaseLease(lease: CacheLease): Boolean {
        checkOpen()
        val now = clock.millis()
        var released = false
        leases.asMap().computeIfPresent(lease.key) { _, old ->
            if (old.seq == lease.fencingToken && old.expiresAtMillis > now) {
                released = true
                null
            } else {
                old
            }
        }
        return released
    }

    override fun close() {
        closed = true
        entries.invalidateAll()
        tombstones.invalidateAll()
        counters.invalidateAll()
        leases.invalidateAll()
    }

    /** Runs Caffeine's pending maintenance (size eviction) now; for tests. */
    internal fun cleanUpForTests() {
        entries.cleanUp()
    }

    private fun checkOpen() = check(!closed) { "this InMemoryCacheBackend is closed" }

    private fun lockFor(namespace: String): Any = stripes[namespace.hashCode() and (STRIPES - 1)]

    /**
     * Settings of an [InMemoryCacheBackend]; every setter returns this builder. Not thread-safe.
     */
    @dev.restflow.RestflowDsl
    public class Builder internal constructor() {
        internal var maximumSize: Long = 10_000
        internal var clock: Clock = Clock.systemUTC()
        internal var maximumTtl: java.time.Duration = java.time.Duration.ofDays(1)
        internal var tombstoneTtl: java.time.Duration = java.time.Duration.ofSeconds(60)

        /** The most entries kept (default 10 000); beyond it Caffeine evicts by frequency and recency. */
        public fun maximumSize(entries: Long): Builder = apply {
            require(entries > 0) { "maximumSize must be positive, was $entries" }
            maximumSize = entries
        }

        /** The clock every TTL is measured on (default the system UTC clock); tests inject a manual one. */
        public fun clock(clock: Clock): Builder = apply { this.clock = clock }

        /** The longest TTL an entry may get (default 1 day); longer TTLs are clamped. */
        public fun maximumTtl(ttl: java.time.Duration): Builder = apply {
            require(!ttl.isNegative && !ttl.isZero) { "maximumTtl must be positive, was $ttl" }
            maximumTtl = ttl
        }

        /**
         * How long a delete is remembered to refuse conditional writes stamped before it (default 60 s); a
         * conditional write with an older stamp is refused too. Should exceed the slowest load.
         */
        public fun tombstoneTtl(ttl: java.time.Duration): Builder = apply {
            require(!ttl.isNegative && !ttl.isZero) { "tombstoneTtl must be positive, was $ttl" }
            tombstoneTtl = ttl
        }

        /** Builds the backend. */
        public fun build(): InMemoryCacheBackend = InMemoryCacheBackend(this)
    }

    /** Factories. */
    public companion object {
        private const val STRIPES = 64

        /** A builder with the defaults: 10 000 entries, system clock, 1 day maximum TTL, 60 s tombstones. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /** A backend with the defaults of [builder]. */
        @JvmStatic
        public fun create(): InMemoryCacheBackend = Builder().build()
    }
}

