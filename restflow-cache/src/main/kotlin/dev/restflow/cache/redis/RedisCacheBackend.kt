package dev.restflow.cache.redis

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheLease
import dev.restflow.cache.CacheRead
import dev.restflow.cache.CacheStamp
import dev.restflow.cache.CacheUnavailableException
import dev.restflow.cache.positiveMillis
import io.lettuce.core.ClientOptions
import io.lettuce.core.RedisClient
import io.lettuce.core.RedisNoScriptException
import io.lettuce.core.RedisURI
import io.lettuce.core.ScriptOutputType
import io.lettuce.core.SocketOptions
import io.lettuce.core.TimeoutOptions
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.codec.ByteArrayCodec
import io.lettuce.core.codec.StringCodec
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection
import io.lettuce.core.resource.ClientResources
import io.lettuce.core.resource.Delay
import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.MeterRegistry
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.future.await
import java.time.Clock
import java.time.Instant
import java.util.concurrent.TimeUnit
import kotlin.time.Duration

/**
 * A [CacheBackend] on Redis (standalone) through Lettuce's asynchronous API, safe for Redis Cluster's slot rules:
 * every key of a namespace carries the namespace as hash tag (`rf:{users}:e:<id>`), so the Lua scripts that make
 * each operation atomic touch one slot. The price is that a namespace lives on one cluster node.
 *
 * Fail fast by construction: every command times out after [Builder.commandTimeout] (default 50 ms, not Lettuce's
 * 60 s), commands issued while disconnected are rejected at once (`DisconnectedBehavior.REJECT_COMMANDS`) instead of
 * queued, and a circuit breaker opens after [Builder.failureThreshold] consecutive failures and then rejects calls
 * without touching the network for [Builder.openDuration] before letting one trial through. Every such failure
 * surfaces as [CacheUnavailableException]; [isDegraded] is `true` while the breaker is open.
 *
 * Invalidation is O(1): each namespace has a sequence counter; an entry records the sequence of its write, a
 * partition or namespace invalidation records the next sequence, and an entry older than its records is a miss
 * (it stays stored until its TTL). Deletes leave a short tombstone so conditional writes stamped before them are
 * refused. Sequence and namespace-record keys have no TTL: use a `volatile-*` eviction policy, or accept
 * that an evicted record can briefly resurrect invalidated entries.
 *
 * Build with [builder]; building connects (blocking, bounded by the connect timeout) and fails with
 * [io.lettuce.core.RedisConnectionException] when Redis is unreachable. Close it to release the connection and its
 * threads.
 */
public class RedisCacheBackend private constructor(builder: Builder) : CacheBackend {
    internal val redisUri: RedisURI = RedisURI.create(builder.uri)
    private val clock: Clock = builder.clock
    private val commandTimeout: java.time.Duration = builder.commandTimeout
    private val maximumTtlMillis = builder.maximumTtl.toMillis()
    private val tombstoneTtlMillis = builder.tombstoneTtl.toMillis()
    private val keys = RedisKeys(builder.keyPrefix)
    private val breaker = CircuitBreaker(builder.failureThreshold, builder.openDuration.toMillis(), clock)
    private val resources: ClientResources = ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build()
    internal val client: RedisClient = RedisClient.create(resources, redisUri).apply {
        options = ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .socketOptions(SocketOptions.builder().connectTimeout(builder.connectTimeout).build())
            .build()
    }
    private val connection: StatefulRedisConnection<ByteArray, ByteArray> = try {
        client.connect(ByteArrayCodec.INSTANCE, redisUri)
    } catch (e: Exception) {
        shutdownClient()
        throw e
    }
    private val commands = connection.async()
    private val failures: Counter? = builder.meterRegistry?.let {
        Counter.builder("restflow.cache.backend.failures").description("Redis cache commands that failed or were rejected")
            .register(it)
    }

    init {
        builder.meterRegistry?.let { registry ->
            Gauge.builder("restflow.cache.degraded", breaker) { if (it.isOpen) 1.0 else 0.0 }
                .description("1 while the Redis cache circuit breaker is open").register(registry)
        }
    }

    @Volatile
    private var closed = false

    override val isDegraded: Boolean get() = breaker.isOpen

    override suspend fun get(key: CacheEntryKey): CacheRead {
        val reply: List<Any?> = eval(
            RedisScripts.get, ScriptOutputType.MULTI,
            arrayOf(keys.entry(key), keys.sequence(key.namespace), keys.namespaceRecord(key.namespace),
                keys.partitionRecord(key.namespace, key.partition)),
        )
        val now = reply[3] as Long
        val stamp = CacheStamp(reply[2] as Long, now)
        val value = reply[0] as ByteArray? ?: return CacheRead.Miss(stamp)
        val pttl = (reply[1] as Long).coerceAtLeast(0)
        return CacheRead.Hit(value, Instant.ofEpochMilli(now + pttl), stamp)
    }

    override suspend fun getMany(keys: List<CacheEntryKey>): List<CacheRead> {
        if (keys.size <= 1) return keys.map { get(it) }
        val reads = arrayOfNulls<CacheRead>(keys.size)
        // one script per namespace: its keys share the namespace's slot
        for ((namespace, indices) in keys.indices.groupBy { keys[it].namespace }) {
            val scriptKeys = ArrayList<ByteArray>(2 + 2 * indices.size)
            scriptKeys += this.keys.sequence(namespace)
            scriptKeys += this.keys.namespaceRecord(namespace)
            for (i in indices) {
                scriptKeys += this.keys.entry(keys[i])
                scriptKeys += this.keys.partitionRecord(namespace, keys[i].partition)
            }
            val reply: List<Any?> = eval(RedisScripts.getMany, ScriptOutputType.MULTI, scriptKeys.toTypedArray())
            val now = reply[1] as Long
            val stamp = CacheStamp(reply[0] as Long, now)
            indices.forEachIndexed { n, i ->
                val value = reply[2 + 2 * n] as ByteArray?
                reads[i] = if (value == null) {
                    CacheRead.Miss(stamp)
                } else {
                    CacheRead.Hit(value, Instant.ofEpochMilli(now + (reply[3 + 2 * n] as Long).coerceAtLeast(0)), stamp)
                }
            }
        }
        return reads.map { it!! }
    }

    override suspend fun set(key: CacheEntryKey, value: ByteArray, ttl: Duration, ifUnchangedSince: CacheStamp?): Boolean {
        val ttlMillis = positiveMillis(ttl).coerceAtMost(maximumTtlMillis)
        val written: Long = eval(
            RedisScripts.set, ScriptOutputType.INTEGER,
            arrayOf(keys.entry(key), keys.sequence(key.namespace), keys.namespaceRecord(key.namespace),
                keys.partitionRecord(key.namespace, key.partition)),
            value, ttlMillis.bytes(), (ifUnchangedSince?.sequence?.toString() ?: "").toByteArray(),
            (ifUnchangedSince?.issuedAtMillis ?: 0L).bytes(), tombstoneTtlMillis.bytes(),
        )
        return written == 1L
    }

    override suspend fun delete(key: CacheEntryKey) {
        deleteMany(listOf(key))
    }

    override suspend fun deleteMany(keys: Collection<CacheEntryKey>) {
        // one script per namespace: all its keys share the namespace's slot
        for ((namespace, group) in keys.groupBy { it.namespace }) {
            val scriptKeys = ArrayList<ByteArray>(group.size + 1)
            scriptKeys += this.keys.sequence(namespace)
            group.mapTo(scriptKeys) { this.keys.entry(it) }
            eval<Long>(RedisScripts.delete, ScriptOutputType.INTEGER, scriptKeys.toTypedArray(), tombstoneTtlMillis.bytes())
        }
    }

    override suspend fun deletePartition(namespace: String, partition: String) {
        eval<Long>(
            RedisScripts.invalidate, ScriptOutputType.INTEGER,
            arrayOf(keys.sequence(namespace), keys.partitionRecord(namespace, partition)),
            (maximumTtlMillis + tombstoneTtlMillis).bytes(),
        )
    }

    override suspend fun deleteNamespace(namespace: String) {
        eval<Long>(
            RedisScripts.invalidate, ScriptOutputType.INTEGER,
            arrayOf(keys.sequence(namespace), keys.namespaceRecord(namespace)), ByteArray(0),
        )
    }

    override suspend fun increment(key: CacheEntryKey, delta: Long, ttl: Duration): Long {
        val ttlMillis = positiveMillis(ttl)
        return eval(RedisScripts.increment, ScriptOutputType.INTEGER, arrayOf(keys.counter(key)), delta.bytes(), ttlMillis.bytes())
    }

    override suspend fun tryAcquireLease(key: CacheEntryKey, ttl: Duration): CacheLease? {
        val ttlMillis = positiveMillis(ttl)
        val reply: List<Any?> = eval(
            RedisScripts.acquireLease, ScriptOutputType.MULTI,
            arrayOf(keys.lease(key), keys.sequence(key.namespace)), ttlMillis.bytes(),
        )
        val token = reply[0] as Long
        if (token == 0L) return null
        return CacheLease(key, token, Instant.ofEpochMilli(reply[1] as Long + ttlMillis))
    }

    override suspend fun releaseLease(lease: CacheLease): Boolean {
        val released: Long = eval(
            RedisScripts.releaseLease, ScriptOutputType.INTEGER, arrayOf(keys.lease(lease.key)), lease.fencingToken.bytes(),
        )
        return released == 1L
    }

    /** Publishes [message] on [channel] through the breaker; used by the two-tier backend. */
    internal suspend fun publish(channel: String, message: String) {
        guarded { commands.publish(channel.toByteArray(), message.toByteArray()).await() }
    }

    /** Opens a pub/sub connection with this backend's client options; the caller closes it. */
    internal fun connectPubSub(): StatefulRedisPubSubConnection<String, String> =
        client.connectPubSub(StringCodec.UTF8, redisUri)

    /** The Redis key of [key]'s entry, for tests. */
    internal fun entryKeyName(key: CacheEntryKey): String = keys.entryName(key)

    private suspend fun <T> eval(script: RedisScript, type: ScriptOutputType, scriptKeys: Array<ByteArray>, vararg args: ByteArray): T =
        guarded {
            try {
                commands.evalsha<T>(script.sha1, type, scriptKeys, *args).await()
            } catch (e: RedisNoScriptException) {
                commands.eval<T>(script.text, type, scriptKeys, *args).await()
            }
        }

    private suspend inline fun <T> guarded(block: () -> T): T {
        check(!closed) { "this RedisCacheBackend is closed" }
        if (!breaker.allowRequest()) {
            failures?.increment()
            throw CacheUnavailableException("the Redis cache circuit breaker is open")
        }
        try {
            return block().also { breaker.onSuccess() }
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            breaker.onFailure()
            failures?.increment()
            throw CacheUnavailableException("Redis cache command failed: ${e.message}", e)
        }
    }

    override fun close() {
        if (closed) return
        closed = true
        runCatching { connection.close() }
        shutdownClient()
    }

    private fun shutdownClient() {
        runCatching { client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2)) }
        runCatching { resources.shutdown(0, 2, TimeUnit.SECONDS) }
    }

    private fun Long.bytes(): ByteArray = toString().toByteArray()

    /**
     * Settings of a [RedisCacheBackend]; every setter returns this builder. Not thread-safe.
     */
    @dev.restflow.RestflowDsl
    public class Builder internal constructor(internal val uri: String) {
        internal var commandTimeout: java.time.Duration = java.time.Duration.ofMillis(50)
        internal var connectTimeout: java.time.Duration = java.time.Duration.ofSeconds(1)
        internal var failureThreshold: Int = 5
        internal var openDuration: java.time.Duration = java.time.Duration.ofSeconds(5)
        internal var clock: Clock = Clock.systemUTC()
        internal var keyPrefix: String = "rf"
        internal var maximumTtl: java.time.Duration = java.time.Duration.ofDays(1)
        internal var tombstoneTtl: java.time.Duration = java.time.Duration.ofSeconds(60)
        internal var meterRegistry: MeterRegistry? = null

        /** How long one command may take before it fails (default 50 ms). */
        public fun commandTimeout(timeout: java.time.Duration): Builder = apply { commandTimeout = positive(timeout, "commandTimeout") }

        /** How long connecting may take (default 1 s). */
        public fun connectTimeout(timeout: java.time.Duration): Builder = apply { connectTimeout = positive(timeout, "connectTimeout") }

        /** Consecutive failures that open the circuit breaker (default 5). */
        public fun failureThreshold(failures: Int): Builder = apply {
            require(failures > 0) { "failureThreshold must be positive, was $failures" }
            failureThreshold = failures
        }

        /** How long the open breaker rejects calls before one trial call (default 5 s). */
        public fun openDuration(duration: java.time.Duration): Builder = apply { openDuration = positive(duration, "openDuration") }

        /** The clock of the circuit breaker (default the system UTC clock); tests inject a manual one. */
        public fun clock(clock: Clock): Builder = apply { this.clock = clock }

        /** The first segment of every Redis key (default `rf`); gives applications sharing a Redis their own keys. */
        public fun keyPrefix(prefix: String): Builder = apply {
            require(prefix.isNotEmpty() && '{' !in prefix && '}' !in prefix) { "keyPrefix must be non-empty and free of braces, was '$prefix'" }
            keyPrefix = prefix
        }

        /** The longest TTL an entry may get (default 1 day); longer TTLs are clamped. */
        public fun maximumTtl(ttl: java.time.Duration): Builder = apply { maximumTtl = positive(ttl, "maximumTtl") }

        /** How long deletes refuse older conditional writes (default 60 s); should exceed the slowest load. */
        public fun tombstoneTtl(ttl: java.time.Duration): Builder = apply { tombstoneTtl = positive(ttl, "tombstoneTtl") }

        /**
         * Registers `restflow.cache.degraded` (gauge, 1 while the breaker is open) and
         * `restflow.cache.backend.failures` (counter) in [registry].
         */
        public fun meterRegistry(registry: MeterRegistry): Builder = apply { meterRegistry = registry }

        /** Connects and builds the backend; blocks up to the connect timeout. */
        public fun build(): RedisCacheBackend = RedisCacheBackend(this)

        private fun positive(d: java.time.Duration, name: String): java.time.Duration {
            require(!d.isNegative && !d.isZero) { "$name must be positive, was $d" }
            return d
        }
    }

    /** Factories. */
    public companion object {
        /** A builder for the Redis at [uri] (`redis://host:port/db`, `rediss://…` for TLS). */
        @JvmStatic
        public fun builder(uri: String): Builder = Builder(uri)
    }
}
