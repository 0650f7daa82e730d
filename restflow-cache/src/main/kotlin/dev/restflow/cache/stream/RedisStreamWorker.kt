package dev.restflow.cache.stream

import io.lettuce.core.Consumer
import io.lettuce.core.Limit
import io.lettuce.core.Range
import io.lettuce.core.RedisBusyException
import io.lettuce.core.ScriptOutputType
import io.lettuce.core.StreamMessage
import io.lettuce.core.XAutoClaimArgs
import io.lettuce.core.XClaimArgs
import io.lettuce.core.XGroupCreateArgs
import io.lettuce.core.XPendingArgs
import io.lettuce.core.XReadArgs
import io.lettuce.core.api.StatefulRedisConnection
import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.MeterRegistry
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.future.await
import kotlinx.coroutines.future.future
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong

/**
 * A consumer-group worker of a [RedisStreamQueue]: reads entries with `XREADGROUP … BLOCK`, runs the handler on
 * each payload (one at a time, on an IO thread) and acknowledges it (`XACK`) when the handler returns.
 *
 * - **Group.** Created on start if missing (`XGROUP CREATE … 0 MKSTREAM`, idempotent), from the start of the stream,
 *   so entries enqueued before any worker existed are delivered. All workers of one group share the work: each
 *   entry goes to one of them.
 * - **Retries.** A failed delivery stays pending; the worker claims it again (`XCLAIM`) once it has been idle for the
 *   backoff of its delivery count (`initialBackoff × 2^(n-1)`, at most `maxBackoff`; delivery counts come from
 *   `XPENDING`). Retries happen at the worker's next pending scan, so the poll interval is the granularity.
 * - **Dead letters.** After [Builder.maxDeliveries] failed deliveries the entry is moved to the dead-letter stream
 *   with its last error and attempt count, and acknowledged, atomically (one script on one cluster slot).
 * - **Abandoned entries.** Entries pending on any consumer for longer than [Builder.claimIdle] (a dead worker, or a
 *   restarted one with another name) are taken over with `XAUTOCLAIM`. A worker restarted under the same
 *   [Builder.consumer] name resumes its own pending entries after their backoff, without waiting for `claimIdle`.
 * - **At least once.** A worker killed between handler and `XACK` has its entry delivered again; handlers must be
 *   idempotent.
 * - **Stopping.** [stop] is graceful: no new reads, the entries already read are handled and acknowledged, then it
 *   returns (at most about one poll interval plus the handlers' time).
 *
 * Meters (when the queue has a registry), tagged `queue`: counters `restflow.stream.processed`,
 * `restflow.stream.failed` (failed deliveries), `restflow.stream.dead` (dead-lettered entries) and the gauge
 * `restflow.stream.lag` (entries of the group not yet acknowledged, pending or undelivered, as of the last scan).
 *
 * For a standalone worker process call [runUntilShutdown] from `main`.
 */
public class RedisStreamWorker private constructor(builder: Builder) : AutoCloseable {
    private val queue = builder.queue
    private val keys = queue.keys
    private val handler = builder.handler

    /** The consumer group's name. */
    public val group: String = builder.group

    /** This worker's consumer name within the group. */
    public val consumer: String = builder.consumer
    private val batchSize = builder.batchSize
    private val pollInterval = builder.pollInterval
    private val maxDeliveries = builder.maxDeliveries
    private val initialBackoffMillis = builder.initialBackoff.toMillis()
    private val maxBackoffMillis = builder.maxBackoff.toMillis()
    private val claimIdleMillis = builder.claimIdle.toMillis()
    private val me = Consumer.from(group, consumer)
    private val lastErrors = ConcurrentHashMap<String, String>()
    private val observedLag = AtomicLong()

    private val processed: Counter?
    private val failed: Counter?
    private val dead: Counter?

    init {
        val registry: MeterRegistry? = queue.meterRegistry
        processed = registry?.let { Counter.builder("restflow.stream.processed").tag("queue", queue.name).register(it) }
        failed = registry?.let { Counter.builder("restflow.stream.failed").tag("queue", queue.name).register(it) }
        dead = registry?.let { Counter.builder("restflow.stream.dead").tag("queue", queue.name).register(it) }
        registry?.let {
            Gauge.builder("restflow.stream.lag", observedLag) { lag -> lag.get().toDouble() }.tag("queue", queue.name)
                .description("Entries of the consumer group not yet acknowledged").register(it)
        }
    }

    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)

    @Volatile
    private var running = false
    private var loop: Job? = null
    private var connection: StatefulRedisConnection<String, String>? = null
    private var autoClaimCursor = "0-0"
    private var lastScan = 0L

    /** Entries of the group not yet acknowledged (pending or not yet delivered), as of this worker's last scan. */
    public val lag: Long get() = observedLag.get()

    /**
     * Starts consuming in the background: creates the group if needed (fails with [StreamUnavailableException] if
     * Redis is down now), then loops until [stop]. Redis errors inside the loop are retried after a poll interval.
     */
    @Synchronized
    public fun start() {
        if (running) return
        val conn = queue.connectWorker(pollInterval.plus(queue.commandTimeout))
        val commands = conn.async()
        try {
            runBlocking { ensureGroup(conn) }
        } catch (e: Exception) {
            conn.close()
            throw StreamUnavailableException("cannot create consumer group $group on ${keys.stream}: ${e.message}", e)
        }
        connection = conn
        running = true
        loop = scope.launch {
            while (running) {
                try {
                    scanPending(conn)
                    val read = commands.xreadgroup(
                        me, XReadArgs.Builder.block(pollInterval).count(batchSize.toLong()),
                        XReadArgs.StreamOffset.lastConsumed(keys.stream),
                    ).await()
                    for (message in read.orEmpty()) deliver(conn, message, previousDeliveries = 0)
                } catch (e: CancellationException) {
                    throw e
                } catch (e: Exception) {
                    if (e.message?.contains("NOGROUP") == true) runCatching { ensureGroup(conn) }
                    if (running) delay(pollInterval.toMillis())
                }
            }
        }
    }

    /** Stops gracefully: entries already read are handled and acknowledged, then the worker's connection closes. */
    public fun stop() {
        runBlocking { stopGracefully() }
    }

    /** Non-blocking [stop]; the future completes when the worker has stopped. */
    public fun stopAsync(): CompletableFuture<Void?> = scope.future { stopGracefully() }.thenApply { null }

    /**
     * Runs the worker as the whole process's job, for a standalone worker's `main` (Kotlin or Java): starts it,
     * stops it gracefully on JVM shutdown (SIGTERM, Ctrl-C), and blocks until it has stopped.
     */
    public fun runUntilShutdown() {
        start()
        val hook = Thread({ stop() }, "restflow-stream-worker-stop")
        Runtime.getRuntime().addShutdownHook(hook)
        runBlocking { loop?.join() }
    }

    /** Same as [stop]. */
    override fun close(): Unit = stop()

    /** Simulates a crash, for tests: cancels handlers mid-work without acknowledging and drops the connection. */
    internal fun abandon() {
        runBlocking {
            val job = synchronized(this@RedisStreamWorker) {
                running = false
                loop.also { loop = null }
            }
            connection?.close()
            job?.cancelAndJoin()
        }
    }

    private suspend fun stopGracefully() {
        val job = synchronized(this) {
            running = false
            loop.also { loop = null }
        }
        job?.join()
        synchronized(this) { connection?.close(); connection = null }
    }

    private suspend fun ensureGroup(conn: StatefulRedisConnection<String, String>) {
        try {
            conn.async().xgroupCreate(XReadArgs.StreamOffset.from(keys.stream, "0"), group, XGroupCreateArgs().mkstream(true)).await()
        } catch (e: RedisBusyException) {
            // BUSYGROUP: it exists already
        }
    }

    /** Retries this consumer's failed entries whose backoff elapsed, and takes over entries abandoned by others. */
    private suspend fun scanPending(conn: StatefulRedisConnection<String, String>) {
        val now = System.currentTimeMillis()
        if (now - lastScan < pollInterval.toMillis()) return
        lastScan = now
        val commands = conn.async()
        val mine = commands.xpending(keys.stream, XPendingArgs<String>().group(group).consumer(me)
            .range(Range.create("-", "+")).limit(Limit.from(batchSize.toLong()))).await()
        for (p in mine) {
            if (!running) break
            val backoff = backoffMillis(p.redeliveryCount)
            if (p.msSinceLastDelivery < backoff) continue
            val claimed = commands.xclaim(keys.stream, me, XClaimArgs().minIdleTime(backoff), p.id).await()
            for (message in claimed) deliver(conn, message, p.redeliveryCount)
        }
        if (!running) return
        val abandoned = commands.xautoclaim(keys.stream, XAutoClaimArgs<String>().consumer(me)
            .minIdleTime(claimIdleMillis).startId(autoClaimCursor).count(batchSize.toLong())).await()
        autoClaimCursor = abandoned.id ?: "0-0"
        for (message in abandoned.messages) {
            val count = commands.xpending(keys.stream, group, Range.create(message.id, message.id), Limit.from(1)).await()
                .firstOrNull()?.redeliveryCount ?: 1
            deliver(conn, message, previousDeliveries = count - 1)
        }
        observeLag(conn)
    }

    private suspend fun deliver(conn: StatefulRedisConnection<String, String>, message: StreamMessage<String, String>, previousDeliveries: Long) {
        val payload = message.body?.get(RedisStreamQueue.PAYLOAD)
        if (payload == null) { // trimmed away or not ours: nothing to do
            conn.async().xack(keys.stream, group, message.id).await()
            return
        }
        if (previousDeliveries >= maxDeliveries) {
            deadLetter(conn, message.id, payload, lastErrors.remove(message.id) ?: "abandoned by a consumer that stopped mid-delivery", previousDeliveries)
            return
        }
        try {
            handler(payload)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            failed?.increment()
            val error = (e.message ?: e.javaClass.name).take(4000)
            if (previousDeliveries + 1 >= maxDeliveries) {
                lastErrors.remove(message.id)
                deadLetter(conn, message.id, payload, error, previousDeliveries + 1)
            } else {
                lastErrors[message.id] = error
            }
            return
        }
        lastErrors.remove(message.id)
        conn.async().xack(keys.stream, group, message.id).await()
        processed?.increment()
    }

    private suspend fun deadLetter(conn: StatefulRedisConnection<String, String>, id: String, payload: String, error: String, attempts: Long) {
        conn.async().eval<Long>(
            DEAD_LETTER_SCRIPT, ScriptOutputType.INTEGER, arrayOf(keys.stream, keys.deadLetters),
            payload, error, attempts.toString(), id, group, queue.maxLength.toString(), consumer,
        ).await()
        dead?.increment()
    }

    private suspend fun observeLag(conn: StatefulRedisConnection<String, String>) {
        val groups = conn.async().xinfoGroups(keys.stream).await()
        for (g in groups) {
            val fields = (g as List<*>).chunked(2).associate { it[0].toString() to it.getOrNull(1) }
            if (fields["name"] == group) {
                val pending = (fields["pending"] as? Long) ?: 0L
                val undelivered = (fields["lag"] as? Long) ?: 0L
                observedLag.set(pending + undelivered)
            }
        }
    }

    private fun backoffMillis(deliveries: Long): Long {
        val shift = (deliveries - 1).coerceIn(0, 30).toInt()
        return (initialBackoffMillis shl shift).coerceAtMost(maxBackoffMillis).coerceAtLeast(0)
    }

    /**
     * Settings of a [RedisStreamWorker]; obtain with [RedisStreamQueue.worker]. Every setting has a default.
     */
    public class Builder internal constructor(internal val queue: RedisStreamQueue, internal val handler: suspend (String) -> Unit) {
        internal var group: String = "restflow"
        internal var consumer: String = "${System.getenv("HOSTNAME") ?: "restflow"}-${ProcessHandle.current().pid()}"
        internal var batchSize: Int = 16
        internal var pollInterval: java.time.Duration = java.time.Duration.ofSeconds(1)
        internal var maxDeliveries: Int = 5
        internal var initialBackoff: java.time.Duration = java.time.Duration.ofMillis(200)
        internal var maxBackoff: java.time.Duration = java.time.Duration.ofSeconds(30)
        internal var claimIdle: java.time.Duration = java.time.Duration.ofMinutes(1)

        /** The consumer group (default `restflow`); workers of one group share the entries. */
        public fun group(name: String): Builder = apply {
            require(name.isNotBlank()) { "group must not be blank" }
            group = name
        }

        /**
         * This worker's consumer name, unique within the group (default `$HOSTNAME-<pid>`). A stable name (a pod
         * name) lets a restarted worker resume its own pending entries at once.
         */
        public fun consumer(name: String): Builder = apply {
            require(name.isNotBlank()) { "consumer must not be blank" }
            consumer = name
        }

        /** Entries read per `XREADGROUP` (default 16). */
        public fun batchSize(size: Int): Builder = apply {
            require(size > 0) { "batchSize must be positive" }
            batchSize = size
        }

        /** How long a read blocks waiting for entries, and how often pending entries are scanned (default 1 s). */
        public fun pollInterval(interval: java.time.Duration): Builder = apply {
            require(!interval.isNegative && !interval.isZero) { "pollInterval must be positive" }
            pollInterval = interval
        }

        /** Deliveries attempted before an entry is dead-lettered (default 5). */
        public fun maxDeliveries(deliveries: Int): Builder = apply {
            require(deliveries > 0) { "maxDeliveries must be positive" }
            maxDeliveries = deliveries
        }

        /** Wait before the first retry (default 200 ms); doubles after each failure up to [maxBackoff]. */
        public fun initialBackoff(delay: java.time.Duration): Builder = apply {
            require(!delay.isNegative) { "initialBackoff must not be negative" }
            initialBackoff = delay
        }

        /** Upper bound of the retry wait (default 30 s); keep it below [claimIdle]. */
        public fun maxBackoff(delay: java.time.Duration): Builder = apply {
            require(!delay.isNegative) { "maxBackoff must not be negative" }
            maxBackoff = delay
        }

        /**
         * How long an entry may stay pending on another consumer before this worker takes it over (default 1 min).
         * Longer than the slowest handler, or a slow but live worker's entry is delivered twice.
         */
        public fun claimIdle(idle: java.time.Duration): Builder = apply {
            require(!idle.isNegative && !idle.isZero) { "claimIdle must be positive" }
            claimIdle = idle
        }

        /** Builds the worker; it consumes nothing until [RedisStreamWorker.start]. */
        public fun build(): RedisStreamWorker = RedisStreamWorker(this)
    }

    private companion object {
        // KEYS: work stream, dead-letter stream. ARGV: payload, error, attempts, id, group, maxlen, consumer.
        val DEAD_LETTER_SCRIPT = """
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'payload', ARGV[1], 'error', ARGV[2], 'attempts', ARGV[3], 'id', ARGV[4], 'consumer', ARGV[7])
            return redis.call('XACK', KEYS[1], ARGV[5], ARGV[4])
        """.trimIndent()
    }
}
