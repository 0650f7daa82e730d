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
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.withTimeoutOrNull
import java.time.Clock
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
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
 * Outages and recovery: an invalidation ([delete], [deleteMany], [deletePartition], [deleteNamespace]) that
 * fails is still reported with [CacheUnavailableException], and is also recorded, in memory, to be replayed once Redis
 * answers again. While records are pending, [get] first replays them and serves nothing from Redis before they are
 * applied (a read that finds another caller replaying waits for it; if Redis fails, the read fails and cached
 * functions serve their loader's value).
 * The replay also runs in the background: at the first command that succeeds after a failure, then every
 * [Builder.replayInterval] until it succeeds, so an idle instance catches up too. The record is bounded by
 * [Builder.maxPendingInvalidations] key and partition records: past it the namespace holding the most is widened to a
 * namespace flush (counted by `restflow.cache.invalidations.widened`); nothing recorded is dropped. The record dies
 * with the process: durable invalidation (restflow-exposed) is what survives a crash.
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
    private val maxPending = builder.maxPendingInvalidations
    private val replayIntervalMillis = builder.replayInterval.toMillis()
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
    private val widened: Counter? = builder.meterRegistry?.let {
        Counter.builder("restflow.cache.invalidations.widened")
            .description("Failed invalidations widened to a namespace flush because the pending record was full")
            .register(it)
    }
    private val replayed: Counter? = builder.meterRegistry?.let {
        Counter.builder("restflow.cache.invalidations.replayed")
            .description("Invalidations replayed after a Redis outage (namespace flushes, partitions and keys)")
            .register(it)
    }

    /** The near cache of [Builder.nearCache]'s namespaces, kept truthful by [tracker]; `null` without any. */
    internal val near: NearCache? = builder.nearCacheNamespaces.takeIf { it.isNotEmpty() }?.let {
        NearCache(it.toSet(), builder.nearCacheMaximumSize, builder.nearCacheMaximumAge.toNanos())
    }

    /** Failed invalidations waiting for Redis; guarded by [pendingLock]. */
    private var pending = PendingInvalidations(maxPending) { widened?.increment() }
    private val pendingLock = Any()

    /** The batch being replayed, if any; guarded by [pendingLock]. */
    private var inFlight: PendingInvalidations? = null

    /** `true` while [pending] is not empty or being replayed: reads replay before touching Redis. */
    @Volatile
    private var replayNeeded = false
    private val replayMutex = Mutex()
    private val replayLoopRunning = AtomicBoolean()
    private val replayWake = Channel<Unit>(Channel.CONFLATED)
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    /** `true` from a failed command until the next successful one. */
    private val failedSinceSuccess = AtomicBoolean()

    /** Called (on the completing thread) when a command succeeds after failures; the two-tier backend flushes L1. */
    internal val recoveryListeners = CopyOnWriteArrayList<() -> Unit>()

    /** Called after a batch of pending invalidations was applied; the two-tier backend broadcasts it. */
    @Volatile
    internal var replayListener: (suspend (PendingInvalidations) -> Unit)? = null

    /** A signal each time a command fails after a success: an outage was noticed. For tests. */
    internal val outagesNoticed = Channel<Unit>(TEST_SIGNALS, BufferOverflow.DROP_OLDEST)

    /** The sizes of the latest replayed batches, for tests to wait on instead of sleeping. */
    internal val replays = Channel<Int>(TEST_SIGNALS, BufferOverflow.DROP_OLDEST)

    init {
        builder.meterRegistry?.let { registry ->
            Gauge.builder("restflow.cache.degraded", breaker) { if (it.isOpen) 1.0 else 0.0 }
                .description("1 while the Redis cache circuit breaker is open").register(registry)
            near?.let { n ->
                io.micrometer.core.instrument.FunctionCounter.builder("restflow.cache.near.hits", n) { it.hits.toDouble() }
                    .description("Reads answered from the near cache without a Redis round trip").register(registry)
            }
            Gauge.builder("restflow.cache.invalidations.pending", this) { it.pendingCount().toDouble() }
                .description("Failed invalidations waiting to be replayed once Redis answers").register(registry)
        }
    }

    @Volatile
    private var closed = false

    internal val tracker: NearCacheTracker? = near?.let {
        NearCacheTracker(
            resources, redisUri, it.namespaces.map(keys::namespacePrefix), it, builder.nearCacheHeartbeat.toMillis(),
            commandTimeout, builder.connectTimeout, scope,
        )
    }

    override val isDegraded: Boolean get() = breaker.isOpen

    /** `true` from a failed command until the next one succeeds: Redis may be down or hung. */
    internal val outageSuspected: Boolean get() = failedSinceSuccess.get()

    /** How many invalidations wait to be replayed (namespace flushes, partitions and keys). */
    internal fun pendingCount(): Int = synchronized(pendingLock) { pending.size + (inFlight?.size ?: 0) }

    override suspend fun get(key: CacheEntryKey): CacheRead {
        val near = near?.takeIf { it.covers(key.namespace) } ?: return read(key)
        if (!replayNeeded) near.lookup(key)?.let { return it }
        val epoch = near.epoch()
        return read(key).also { if (!replayNeeded) near.store(key, it, epoch) }
    }

    private suspend fun read(key: CacheEntryKey): CacheRead {
        if (replayNeeded) replayPending()
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
        val near = near?.takeIf { n -> keys.any { n.covers(it.namespace) } } ?: return readMany(keys)
        val reads = arrayOfNulls<CacheRead>(keys.size)
        val missing = ArrayList<Int>(keys.size)
        for (i in keys.indices) {
            val kept = if (!replayNeeded && near.covers(keys[i].namespace)) near.lookup(keys[i]) else null
            if (kept != null) reads[i] = kept else missing += i
        }
        if (missing.isEmpty()) return reads.map { it!! }
        val epoch = near.epoch()
        val fetched = readMany(missing.map { keys[it] })
        val keep = !replayNeeded
        missing.forEachIndexed { n, i ->
            reads[i] = fetched[n]
            if (keep && near.covers(keys[i].namespace)) near.store(keys[i], fetched[n], epoch)
        }
        return reads.map { it!! }
    }

    private suspend fun readMany(keys: List<CacheEntryKey>): List<CacheRead> {
        if (keys.size == 1) return listOf(read(keys[0]))
        if (replayNeeded) replayPending()
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
        val written: Long = writing(key.namespace) {
            eval(
            RedisScripts.set, ScriptOutputType.INTEGER,
            arrayOf(keys.entry(key), keys.sequence(key.namespace), keys.namespaceRecord(key.namespace),
                keys.partitionRecord(key.namespace, key.partition)),
            value, ttlMillis.bytes(), (ifUnchangedSince?.sequence?.toString() ?: "").toByteArray(),
            (ifUnchangedSince?.issuedAtMillis ?: 0L).bytes(), tombstoneTtlMillis.bytes(),
            )
        }
        return written == 1L
    }

    override suspend fun delete(key: CacheEntryKey) {
        deleteMany(listOf(key))
    }

    override suspend fun deleteMany(keys: Collection<CacheEntryKey>) {
        // one script per namespace: all its keys share the namespace's slot
        for ((namespace, group) in keys.groupBy { it.namespace }) {
            recordingFailure({ group.forEach { addKey(namespace, it.id, it.partition) } }) {
                deleteKeys(namespace, group.map { it.id })
            }
        }
    }

    override suspend fun deletePartition(namespace: String, partition: String) {
        recordingFailure({ addPartition(namespace, partition) }) { invalidatePartition(namespace, partition) }
    }

    override suspend fun deleteNamespace(namespace: String) {
        recordingFailure({ addNamespace(namespace) }) { invalidateNamespace(namespace) }
    }

    private suspend fun deleteKeys(namespace: String, ids: List<String>) {
        val scriptKeys = ArrayList<ByteArray>(ids.size + 1)
        scriptKeys += keys.sequence(namespace)
        ids.mapTo(scriptKeys) { keys.entry(namespace, it) }
        writing(namespace) { eval<Long>(RedisScripts.delete, ScriptOutputType.INTEGER, scriptKeys.toTypedArray(), tombstoneTtlMillis.bytes()) }
    }

    private suspend fun invalidatePartition(namespace: String, partition: String) = writing(namespace) {
        eval<Long>(
            RedisScripts.invalidate, ScriptOutputType.INTEGER,
            arrayOf(keys.sequence(namespace), keys.partitionRecord(namespace, partition)),
            (maximumTtlMillis + tombstoneTtlMillis).bytes(),
        )
    }

    private suspend fun invalidateNamespace(namespace: String) = writing(namespace) {
        eval<Long>(
            RedisScripts.invalidate, ScriptOutputType.INTEGER,
            arrayOf(keys.sequence(namespace), keys.namespaceRecord(namespace)), ByteArray(0),
        )
    }

    /**
     * Runs the write [block] to [namespace]; a near-cached namespace's kept reads are forgotten once it is done (or
     * failed, since it may still have been applied), so this instance reads its own writes without waiting for Redis
     * to announce them.
     */
    private suspend inline fun <T> writing(namespace: String, block: () -> T): T {
        try {
            return block()
        } finally {
            near?.takeIf { it.covers(namespace) }?.invalidateAll()
        }
    }

    /**
     * Runs the invalidation [block]; when Redis cannot take it (or the caller is cancelled while it was under way),
     * [record]s it for replay, then rethrows: the caller still learns that it did not happen yet.
     */
    private suspend inline fun recordingFailure(record: PendingInvalidations.() -> Unit, block: () -> Unit) {
        try {
            block()
        } catch (e: CacheUnavailableException) {
            addPending(record)
            throw e
        } catch (e: CancellationException) {
            addPending(record)
            throw e
        }
    }

    private inline fun addPending(record: PendingInvalidations.() -> Unit) {
        synchronized(pendingLock) {
            pending.record()
            replayNeeded = true
        }
        if (replayLoopRunning.compareAndSet(false, true)) scope.launch { replayLoop() }
    }

    /**
     * Applies the pending invalidations, batch by batch, until none is left; a caller arriving while another
     * replays waits for it (a replay is one pipelined round of commands, bounded by the command timeout). Fails with
     * [CacheUnavailableException] when Redis fails; the batch is then put back.
     */
    internal suspend fun replayPending() {
        replayMutex.lock()
        try {
            while (true) {
                val batch = synchronized(pendingLock) {
                    if (pending.isEmpty) {
                        replayNeeded = false
                        null
                    } else {
                        pending.also {
                            inFlight = it
                            pending = PendingInvalidations(maxPending) { widened?.increment() }
                        }
                    }
                } ?: return
                try {
                    replay(batch)
                } catch (e: Throwable) {
                    synchronized(pendingLock) {
                        inFlight = null
                        pending.addAll(batch)
                        replayNeeded = true
                    }
                    throw e
                }
                synchronized(pendingLock) { inFlight = null }
                replayed?.increment(batch.size.toDouble())
                log.log(System.Logger.Level.INFO, "replayed {0} invalidations missed during a Redis outage", batch.size)
                replayListener?.let { listener ->
                    try {
                        listener(batch)
                    } catch (e: CancellationException) {
                        throw e
                    } catch (e: Exception) {
                        log.log(System.Logger.Level.WARNING, "could not announce replayed invalidations: {0}", e.toString())
                    }
                }
                replays.trySend(batch.size)
            }
        } finally {
            replayMutex.unlock()
        }
    }

    /** Sends the first command alone (it may be the half-open breaker's one trial), then the others pipelined. */
    private suspend fun replay(batch: PendingInvalidations) {
        val steps = ArrayList<suspend () -> Unit>()
        for ((namespace, pendingNs) in batch.namespaces) {
            if (pendingNs.flush) {
                steps += { invalidateNamespace(namespace) }
                continue
            }
            for (partition in pendingNs.partitions) steps += { invalidatePartition(namespace, partition) }
            for (chunk in pendingNs.keys.map { it.id }.chunked(REPLAY_CHUNK)) steps += { deleteKeys(namespace, chunk) }
        }
        if (steps.isEmpty()) return
        steps.first().invoke()
        coroutineScope { steps.drop(1).map { step -> async { step() } }.awaitAll() }
    }

    /** Retries the replay in the background: at once when a command succeeds again, else every replay interval. */
    private suspend fun replayLoop() {
        while (true) {
            withTimeoutOrNull(replayIntervalMillis) { replayWake.receive() }
            try {
                if (replayNeeded) replayPending()
            } catch (e: CacheUnavailableException) {
                // still down, or a reader is replaying: try again later
            }
            if (!replayNeeded) {
                replayLoopRunning.set(false)
                // a record added between the check and the reset started no loop: keep this one
                if (!replayNeeded || !replayLoopRunning.compareAndSet(false, true)) return
            }
        }
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
            return block().also {
                breaker.onSuccess()
                if (failedSinceSuccess.get() && failedSinceSuccess.compareAndSet(true, false)) onRecovery()
            }
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            breaker.onFailure()
            if (!failedSinceSuccess.getAndSet(true)) outagesNoticed.trySend(Unit)
            failures?.increment()
            throw CacheUnavailableException("Redis cache command failed: ${e.message}", e)
        }
    }

    private fun onRecovery() {
        for (listener in recoveryListeners) {
            runCatching(listener).onFailure { log.log(System.Logger.Level.WARNING, "a Redis recovery listener failed: {0}", it.toString()) }
        }
        if (replayNeeded) replayWake.trySend(Unit)
    }

    /** One `PING` through the breaker; the two-tier backend's health check. */
    internal suspend fun ping() {
        guarded { commands.ping().await() }
    }

    override fun close() {
        if (closed) return
        closed = true
        tracker?.close()
        scope.cancel()
        replayWake.close()
        replays.close()
        outagesNoticed.close()
        val lost = pendingCount()
        if (lost > 0) log.log(System.Logger.Level.WARNING, "closed with {0} invalidations not replayed to Redis", lost)
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
        internal var maxPendingInvalidations: Int = 10_000
        internal var replayInterval: java.time.Duration = java.time.Duration.ofSeconds(1)
        internal val nearCacheNamespaces: MutableSet<String> = LinkedHashSet()
        internal var nearCacheMaximumSize: Int = 10_000
        internal var nearCacheMaximumAge: java.time.Duration = java.time.Duration.ofSeconds(60)
        internal var nearCacheHeartbeat: java.time.Duration = java.time.Duration.ofMillis(250)

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
         * How many failed key and partition invalidations are kept for replay (default 10 000); past it, the
         * namespace holding the most is widened to a namespace flush. Namespace flushes are always kept.
         */
        public fun maxPendingInvalidations(records: Int): Builder = apply {
            require(records > 0) { "maxPendingInvalidations must be positive, was $records" }
            maxPendingInvalidations = records
        }

        /** How often failed invalidations are retried in the background while Redis does not answer (default 1 s). */
        public fun replayInterval(interval: java.time.Duration): Builder = apply { replayInterval = positive(interval, "replayInterval") }

        /**
         * Registers `restflow.cache.degraded` (gauge, 1 while the breaker is open) and
         * `restflow.cache.backend.failures` (counter), `restflow.cache.invalidations.pending` (gauge),
         * `restflow.cache.invalidations.widened` and `restflow.cache.invalidations.replayed` (counters) in [registry],
         * and `restflow.cache.near.hits` (counter) with a [nearCache].
         */
        public fun meterRegistry(registry: MeterRegistry): Builder = apply { meterRegistry = registry }

        /**
         * Keeps reads of [namespaces] in process (hits and misses) and serves them without a round trip, using Redis
         * server-assisted client-side caching: a connection of its own with `CLIENT TRACKING ON BCAST` over those
         * namespaces' keys, on which Redis announces every write to them by any client; each announcement and each
         * write by this instance forgets every kept read. For namespaces read far more often than written, such as
         * the token blacklist.
         *
         * The price: another instance's write is seen here once Redis's announcement arrives (usually well under a
         * millisecond after the write) instead of at once, and while the tracking connection is lost or stops
         * answering its heartbeat ([nearCacheHeartbeat]) nothing is served from the near cache after two heartbeats.
         * Needs Redis 6 or later (RESP3); without it the near cache never serves and every read goes to Redis.
         */
        public fun nearCache(vararg namespaces: String): Builder = apply {
            require(namespaces.all { it.isNotEmpty() }) { "near-cached namespaces must be non-empty" }
            nearCacheNamespaces += namespaces
        }

        /** How many reads the near cache keeps at most (default 10 000); past it new reads are not kept. */
        public fun nearCacheMaximumSize(entries: Int): Builder = apply {
            require(entries > 0) { "nearCacheMaximumSize must be positive, was $entries" }
            nearCacheMaximumSize = entries
        }

        /** How long a read is kept at most, even without any announcement (default 60 s). */
        public fun nearCacheMaximumAge(age: java.time.Duration): Builder = apply { nearCacheMaximumAge = positive(age, "nearCacheMaximumAge") }

        /**
         * How often the tracking connection is pinged (default 250 ms); the near cache serves only within two
         * heartbeats of the last answered ping.
         */
        public fun nearCacheHeartbeat(interval: java.time.Duration): Builder = apply { nearCacheHeartbeat = positive(interval, "nearCacheHeartbeat") }

        /** Connects and builds the backend; blocks up to the connect timeout. */
        public fun build(): RedisCacheBackend = RedisCacheBackend(this)

        private fun positive(d: java.time.Duration, name: String): java.time.Duration {
            require(!d.isNegative && !d.isZero) { "$name must be positive, was $d" }
            return d
        }
    }

    /** Factories. */
    public companion object {
        private const val REPLAY_CHUNK = 256

        /** Capacity of the signal channels tests wait on; older signals are dropped so they never grow. */
        internal const val TEST_SIGNALS = 1024
        private val log: System.Logger = System.getLogger(RedisCacheBackend::class.java.name)

        /** A builder for the Redis at [uri] (`redis://host:port/db`, `rediss://…` for TLS). */
        @JvmStatic
        public fun builder(uri: String): Builder = Builder(uri)
    }
}
