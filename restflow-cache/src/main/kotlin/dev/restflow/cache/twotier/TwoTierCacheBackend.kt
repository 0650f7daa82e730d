package dev.restflow.cache.twotier

import com.github.benmanes.caffeine.cache.Cache
import com.github.benmanes.caffeine.cache.Caffeine
import com.github.benmanes.caffeine.cache.Expiry
import com.github.benmanes.caffeine.cache.Ticker
import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheLease
import dev.restflow.cache.CacheRead
import dev.restflow.cache.CacheStamp
import dev.restflow.cache.CacheUnavailableException
import dev.restflow.cache.redis.PendingInvalidations
import dev.restflow.cache.redis.RedisCacheBackend
import io.lettuce.core.event.connection.ConnectionActivatedEvent
import io.lettuce.core.pubsub.RedisPubSubAdapter
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import reactor.core.Disposable
import java.time.Clock
import java.time.Instant
import java.util.UUID
import java.util.concurrent.TimeUnit
import kotlin.time.Duration

/**
 * An in-process Caffeine cache (L1) in front of a [RedisCacheBackend] (L2), for values read far more often than
 * they change.
 *
 * Reads are served from L1 when present, else from Redis (then kept in L1); misses always ask Redis, so the stamps
 * that guard conditional writes come from Redis. Writes and invalidations go to Redis first, then to this instance's
 * L1, then are broadcast over Redis pub/sub so every other instance evicts its L1 copy. A lost message (pub/sub is
 * at-most-once, e.g. during a Redis outage) is bounded by the L1 TTL ([Builder.l1Ttl], default 5 s): no instance
 * serves an L1 copy older than that. Counters and leases go straight to Redis.
 *
 * Outages: L1 hits are still served while Redis is down or hung; everything else fails like the Redis backend
 * ([dev.restflow.cache.CacheUnavailableException]). An invalidation made here during the outage evicts this
 * instance's L1 at once and is replayed to Redis, then broadcast, once Redis answers (see [RedisCacheBackend]). An
 * instance learns of an outage from any failed command or from its health check (a `PING` every
 * [Builder.healthCheckInterval] when idle). From then on, each L1 hit first asks Redis: while Redis still fails, the
 * L1 copy is served; the first command that succeeds empties L1 before its answer is used. L1 is also emptied when a
 * connection is re-established. So an instance serves no copy loaded before an outage once it has seen Redis answer
 * again; an instance that did not notice the outage (shorter than the health-check interval) drops the copy when the
 * replayed invalidation's broadcast arrives, and at the latest at the end of its L1 TTL.
 *
 * Takes ownership of the Redis backend: [close] closes it. Thread-safe.
 */
public class TwoTierCacheBackend private constructor(builder: Builder) : CacheBackend {
    /** The Redis tier (L2). */
    internal val l2: RedisCacheBackend = builder.redis
    private val clock: Clock = builder.clock
    private val l1TtlMillis: Long = builder.l1Ttl.toMillis()
    private val channelName: String = builder.channel
    private val instanceId: String = UUID.randomUUID().toString()

    private class Local(val value: ByteArray, val expiresAtMillis: Long, val stamp: CacheStamp)

    private val l1: Cache<CacheEntryKey, Local> = Caffeine.newBuilder()
        .maximumSize(builder.l1MaximumSize)
        .ticker(Ticker { TimeUnit.MILLISECONDS.toNanos(clock.millis()) })
        .executor(Runnable::run)
        .expireAfter(object : Expiry<CacheEntryKey, Local> {
            override fun expireAfterCreate(key: CacheEntryKey, value: Local, currentTime: Long): Long =
                TimeUnit.MILLISECONDS.toNanos(value.expiresAtMillis) - currentTime

            override fun expireAfterUpdate(key: CacheEntryKey, value: Local, currentTime: Long, currentDuration: Long): Long =
                TimeUnit.MILLISECONDS.toNanos(value.expiresAtMillis) - currentTime

            override fun expireAfterRead(key: CacheEntryKey, value: Local, currentTime: Long, currentDuration: Long): Long =
                currentDuration
        })
        .build()

    /** The latest remote invalidations applied to L1, in order; tests wait on it instead of sleeping. */
    internal val remoteInvalidations = signals<InvalidationMessage>()

    private val subscription: StatefulRedisPubSubConnection<String, String> = l2.connectPubSub().also { connection ->
        connection.addListener(object : RedisPubSubAdapter<String, String>() {
            override fun message(channel: String, message: String) {
                if (channel != channelName) return
                val decoded = InvalidationMessage.decode(message) ?: return
                if (decoded.origin == instanceId) return
                evictLocally(decoded)
                remoteInvalidations.trySend(decoded)
            }
        })
        connection.async().subscribe(channelName).get(builder.subscribeTimeout.toMillis(), TimeUnit.MILLISECONDS)
    }

    /** Signals each L1 flush after a reconnection; tests wait on it instead of sleeping. */
    internal val reconnectFlushes = signals<Unit>()

    /** Signals each L1 flush at the first successful command after an outage; tests wait on it. */
    internal val recoveryFlushes = signals<Unit>()

    private val recoveryListener: () -> Unit = {
        l1.invalidateAll()
        recoveryFlushes.trySend(Unit)
    }

    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private val healthCheckMillis: Long = builder.healthCheckInterval.toMillis()

    init {
        l2.recoveryListeners += recoveryListener
        l2.replayListener = { batch -> announceReplayed(batch) }
        scope.launch {
            while (isActive) {
                delay(healthCheckMillis)
                try {
                    l2.ping()
                } catch (e: CacheUnavailableException) {
                    // noticed: L1 hits now ask Redis first until it answers
                }
            }
        }
    }

    /**
     * Invalidation messages sent while this instance was disconnected are lost: on every (re)connection of the
     * client, L1 is emptied so nothing invalidated during an outage is served from it afterwards.
     */
    private val reconnectWatch: Disposable = l2.client.resources.eventBus().get()
        .filter { it is ConnectionActivatedEvent }
        .subscribe {
            l1.invalidateAll()
            reconnectFlushes.trySend(Unit)
        }

    override val isDegraded: Boolean get() = l2.isDegraded

    override suspend fun get(key: CacheEntryKey): CacheRead {
        val local = l1.getIfPresent(key)
        val read: CacheRead
        if (local != null && local.expiresAtMillis > clock.millis()) {
            if (!l2.outageSuspected) return CacheRead.Hit(local.value, Instant.ofEpochMilli(local.expiresAtMillis), local.stamp)
            // an outage was noticed: Redis decides; if it answers, L1 has just been emptied by the recovery listener
            read = try {
                l2.get(key)
            } catch (e: CacheUnavailableException) {
                return CacheRead.Hit(local.value, Instant.ofEpochMilli(local.expiresAtMillis), local.stamp)
            }
        } else {
            read = l2.get(key)
        }
        if (read is CacheRead.Hit) {
            val expires = minOf(clock.millis() + l1TtlMillis, read.expiresAt.toEpochMilli())
            l1.put(key, Local(read.value, expires, read.stamp))
        }
        return read
    }

    override suspend fun getMany(keys: List<CacheEntryKey>): List<CacheRead> {
        // while an outage is suspected each key needs get's Redis-first rule
        if (l2.outageSuspected) return keys.map { get(it) }
        val now = clock.millis()
        val reads = arrayOfNulls<CacheRead>(keys.size)
        val missing = ArrayList<Int>()
        keys.forEachIndexed { i, key ->
            val local = l1.getIfPresent(key)
            if (local != null && local.expiresAtMillis > now) {
                reads[i] = CacheRead.Hit(local.value, Instant.ofEpochMilli(local.expiresAtMillis), local.stamp)
            } else {
                missing += i
            }
        }
        if (missing.isNotEmpty()) {
            val fetched = l2.getMany(missing.map { keys[it] })
            missing.forEachIndexed { n, i ->
                val read = fetched[n]
                if (read is CacheRead.Hit) {
                    val expires = minOf(clock.millis() + l1TtlMillis, read.expiresAt.toEpochMilli())
                    l1.put(keys[i], Local(read.value, expires, read.stamp))
                }
                reads[i] = read
            }
        }
        return reads.map { it!! }
    }

    override suspend fun set(key: CacheEntryKey, value: ByteArray, ttl: Duration, ifUnchangedSince: CacheStamp?): Boolean {
        val stored = try {
            l2.set(key, value, ttl, ifUnchangedSince)
        } finally {
            l1.invalidate(key)
        }
        if (stored) broadcast(InvalidationMessage(instanceId, InvalidationMessage.Kind.KEY, key.namespace, key.partition, key.id))
        return stored
    }

    override suspend fun delete(key: CacheEntryKey) {
        try {
            l2.delete(key)
        } finally {
            l1.invalidate(key)
        }
        broadcast(InvalidationMessage(instanceId, InvalidationMessage.Kind.KEY, key.namespace, key.partition, key.id))
    }

    override suspend fun deleteMany(keys: Collection<CacheEntryKey>) {
        try {
            l2.deleteMany(keys)
        } finally {
            l1.invalidateAll(keys)
        }
        for (key in keys) {
            broadcast(InvalidationMessage(instanceId, InvalidationMessage.Kind.KEY, key.namespace, key.partition, key.id))
        }
    }

    override suspend fun deletePartition(namespace: String, partition: String) {
        val message = InvalidationMessage(instanceId, InvalidationMessage.Kind.PARTITION, namespace, partition)
        try {
            l2.deletePartition(namespace, partition)
        } finally {
            evictLocally(message)
        }
        broadcast(message)
    }

    override suspend fun deleteNamespace(namespace: String) {
        val message = InvalidationMessage(instanceId, InvalidationMessage.Kind.NAMESPACE, namespace)
        try {
            l2.deleteNamespace(namespace)
        } finally {
            evictLocally(message)
        }
        broadcast(message)
    }

    override suspend fun increment(key: CacheEntryKey, delta: Long, ttl: Duration): Long = l2.increment(key, delta, ttl)

    override suspend fun tryAcquireLease(key: CacheEntryKey, ttl: Duration): CacheLease? = l2.tryAcquireLease(key, ttl)

    override suspend fun releaseLease(lease: CacheLease): Boolean = l2.releaseLease(lease)

    override fun close() {
        scope.cancel()
        l2.recoveryListeners -= recoveryListener
        l2.replayListener = null
        recoveryFlushes.close()
        reconnectWatch.dispose()
        reconnectFlushes.close()
        remoteInvalidations.close()
        runCatching { subscription.close() }
        l1.invalidateAll()
        l2.close()
    }

    private fun evictLocally(message: InvalidationMessage) {
        when (message.kind) {
            InvalidationMessage.Kind.KEY -> l1.invalidate(CacheEntryKey.of(message.namespace, message.id, message.partition))
            InvalidationMessage.Kind.PARTITION -> l1.asMap().keys.removeIf {
                it.namespace == message.namespace && it.partition == message.partition
            }
            InvalidationMessage.Kind.NAMESPACE -> l1.asMap().keys.removeIf { it.namespace == message.namespace }
        }
    }

    private suspend fun broadcast(message: InvalidationMessage) {
        l2.publish(channelName, message.encode())
    }

    /** Evicts (again) and broadcasts what the Redis backend replayed after an outage: the other instances missed it. */
    private suspend fun announceReplayed(batch: PendingInvalidations) {
        for ((namespace, pending) in batch.namespaces) {
            val messages = when {
                pending.flush -> listOf(InvalidationMessage(instanceId, InvalidationMessage.Kind.NAMESPACE, namespace))
                else -> pending.partitions.map { InvalidationMessage(instanceId, InvalidationMessage.Kind.PARTITION, namespace, it) } +
                    pending.keys.map { InvalidationMessage(instanceId, InvalidationMessage.Kind.KEY, namespace, it.partition, it.id) }
            }
            for (message in messages) {
                evictLocally(message)
                broadcast(message)
            }
        }
    }

    private fun <T> signals(): Channel<T> = Channel(RedisCacheBackend.TEST_SIGNALS, BufferOverflow.DROP_OLDEST)

    /** Settings of a [TwoTierCacheBackend]; every setter returns this builder. Not thread-safe. */
    @dev.restflow.RestflowDsl
    public class Builder internal constructor(internal val redis: RedisCacheBackend) {
        internal var l1MaximumSize: Long = 10_000
        internal var l1Ttl: java.time.Duration = java.time.Duration.ofSeconds(5)
        internal var clock: Clock = Clock.systemUTC()
        internal var channel: String = "rf:invalidate"
        internal var subscribeTimeout: java.time.Duration = java.time.Duration.ofSeconds(2)
        internal var healthCheckInterval: java.time.Duration = java.time.Duration.ofSeconds(1)

        /** The most entries kept in process (default 10 000). */
        public fun l1MaximumSize(entries: Long): Builder = apply {
            require(entries > 0) { "l1MaximumSize must be positive, was $entries" }
            l1MaximumSize = entries
        }

        /** How long an in-process copy is served at most (default 5 s): the bound on staleness after a lost message. */
        public fun l1Ttl(ttl: java.time.Duration): Builder = apply {
            require(!ttl.isNegative && !ttl.isZero) { "l1Ttl must be positive, was $ttl" }
            l1Ttl = ttl
        }

        /**
         * How often Redis is pinged (default 1 s), so that an instance serving only L1 hits notices an outage and
         * stops trusting L1 once Redis answers again.
         */
        public fun healthCheckInterval(interval: java.time.Duration): Builder = apply {
            require(!interval.isNegative && !interval.isZero) { "healthCheckInterval must be positive, was $interval" }
            healthCheckInterval = interval
        }

        /** The clock of the L1 TTL (default the system UTC clock); tests inject a manual one. */
        public fun clock(clock: Clock): Builder = apply { this.clock = clock }

        /** The pub/sub channel of invalidation messages (default `rf:invalidate`); instances sharing data share it. */
        public fun channel(name: String): Builder = apply {
            require(name.isNotEmpty()) { "the invalidation channel needs a name" }
            channel = name
        }

        /** Subscribes (blocking up to 2 s) and builds the backend; fails when Redis does not confirm the subscription. */
        public fun build(): TwoTierCacheBackend = TwoTierCacheBackend(this)
    }

    /** Factories. */
    public companion object {
        /** A builder for an L1 in front of [redis], which the built backend then owns. */
        @JvmStatic
        public fun builder(redis: RedisCacheBackend): Builder = Builder(redis)
    }
}
