package dev.restflow.cache.stream

import io.lettuce.core.ClientOptions
import io.lettuce.core.Range
import io.lettuce.core.RedisClient
import io.lettuce.core.RedisURI
import io.lettuce.core.SocketOptions
import io.lettuce.core.TimeoutOptions
import io.lettuce.core.XAddArgs
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.codec.StringCodec
import io.lettuce.core.resource.ClientResources
import io.lettuce.core.resource.Delay
import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.MeterRegistry
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.future.await
import kotlinx.coroutines.runBlocking
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * A durable work queue on a Redis stream: producers [enqueue] opaque string payloads (`XADD`, trimmed to about
 * [Builder.maxLength] entries with `MAXLEN ~`), and [RedisStreamWorker]s — in each application instance or in a
 * standalone worker process — consume them through a consumer group with acknowledgement, retries, dead letters and
 * re-claim of entries abandoned by dead consumers (see [worker]).
 *
 * Keys are Redis Cluster safe: the work stream `rf:{name}:stream` and the dead-letter stream `rf:{name}:dead` share
 * the hash tag `{name}`.
 *
 * **Failure is loud.** Commands time out after [Builder.commandTimeout] and are rejected at once while disconnected
 * (Lettuce reconnects in the background); a failed enqueue throws [StreamUnavailableException] and the payload is
 * not recorded — never dropped silently. Building connects (bounded by the connect timeout) and fails with
 * [io.lettuce.core.RedisConnectionException] when Redis is unreachable.
 *
 * Thread-safe. Close it after stopping its workers; closing releases the connections and threads.
 */
public class RedisStreamQueue private constructor(builder: Builder) : AutoCloseable {
    /** The queue's name, as given to [builder]. */
    public val name: String = builder.name
    internal val keys = StreamKeys(builder.name)
    internal val maxLength: Long = builder.maxLength
    internal val commandTimeout: java.time.Duration = builder.commandTimeout
    internal val meterRegistry: MeterRegistry? = builder.meterRegistry
    private val redisUri: RedisURI = RedisURI.create(builder.uri).apply { timeout = builder.connectTimeout } // handshake; commands get their own
    private val resources: ClientResources = ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build()
    private val client: RedisClient = RedisClient.create(resources, redisUri).apply {
        options = ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled()) // each connection's own timeout: workers block longer
            .socketOptions(SocketOptions.builder().connectTimeout(builder.connectTimeout).build())
            .build()
    }
    private val connection: StatefulRedisConnection<String, String> = try {
        client.connect(StringCodec.UTF8, redisUri).apply { timeout = builder.commandTimeout }
    } catch (e: Exception) {
        shutdownClient()
        throw e
    }
    private val commands = connection.async()
    private val enqueued: Counter? = meterRegistry?.let {
        Counter.builder("restflow.stream.enqueued").tag("queue", name).description("Payloads added to the Redis stream").register(it)
    }

    /** The Redis key of the work stream, `rf:{name}:stream`. */
    public val streamKey: String get() = keys.stream

    /** The Redis key of the dead-letter stream, `rf:{name}:dead`. */
    public val deadLetterKey: String get() = keys.deadLetters

    /**
     * Appends [payload] to the stream and returns its entry id once Redis has it.
     *
     * @throws StreamUnavailableException when Redis is down, disconnected or slower than the command timeout; the
     *   payload was then not recorded.
     */
    public suspend fun enqueue(payload: String): String {
        val id = redis("XADD to $streamKey") {
            commands.xadd(keys.stream, XAddArgs().maxlen(maxLength).approximateTrimming(), mapOf(PAYLOAD to payload)).await()
        }
        enqueued?.increment()
        return id
    }

    /** [enqueue] as a future (Java); it fails with [StreamUnavailableException]. Does not block the caller. */
    public fun enqueueAsync(payload: String): CompletableFuture<String> =
        commands.xadd(keys.stream, XAddArgs().maxlen(maxLength).approximateTrimming(), mapOf(PAYLOAD to payload))
            .toCompletableFuture()
            .handle { id, e ->
                if (e != null) throw StreamUnavailableException("XADD to $streamKey failed: ${e.message}", e)
                enqueued?.increment()
                id
            }

    /** Blocking [enqueue] (Java, plain threads); at most the command timeout. */
    public fun enqueueBlocking(payload: String): String = runBlocking { enqueue(payload) }

    /** The number of entries in the work stream (acknowledged ones included until trimmed). */
    public suspend fun length(): Long = redis("XLEN $streamKey") { commands.xlen(keys.stream).await() }

    /**
     * Up to [limit] dead letters, oldest first. Inspect, then re-[enqueue] or delete them yourself (`XDEL`); the
     * dead-letter stream is trimmed to about `maxLength` entries like the work stream.
     */
    public suspend fun deadLetters(limit: Int = 100): List<StreamDeadLetter> = redis("XRANGE $deadLetterKey") {
        commands.xrange(keys.deadLetters, Range.create("-", "+"), io.lettuce.core.Limit.from(limit.toLong())).await()
    }.map { m ->
        val body = m.body
        StreamDeadLetter(m.id, body["id"].orEmpty(), body[PAYLOAD].orEmpty(), body["error"].orEmpty(), body["attempts"]?.toIntOrNull() ?: 0)
    }

    /** Blocking [deadLetters] (Java). */
    @JvmOverloads
    public fun deadLettersBlocking(limit: Int = 100): List<StreamDeadLetter> = runBlocking { deadLetters(limit) }

    /** Starts configuring a consumer-group worker whose Kotlin [handler] is called with each payload. */
    @JvmSynthetic
    public fun worker(handler: suspend (String) -> Unit): RedisStreamWorker.Builder = RedisStreamWorker.Builder(this, handler)

    /** Starts configuring a consumer-group worker with a blocking [handler] (Java). */
    public fun worker(handler: StreamHandler): RedisStreamWorker.Builder =
        RedisStreamWorker.Builder(this) { payload -> kotlinx.coroutines.runInterruptible { handler.handle(payload) } }

    /** A new connection for one worker, whose commands (a blocking `XREADGROUP` included) time out after [timeout]. */
    internal fun connectWorker(timeout: java.time.Duration): StatefulRedisConnection<String, String> =
        client.connect(StringCodec.UTF8, redisUri).apply { this.timeout = timeout }

    /** Closes the connection and releases the client's threads. Stop the workers first. */
    override fun close() {
        runCatching { connection.close() }
        shutdownClient()
    }

    private fun shutdownClient() {
        runCatching { client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2)) }
        runCatching { resources.shutdown(0, 2, TimeUnit.SECONDS) }
    }

    private suspend inline fun <T> redis(what: String, block: () -> T): T = try {
        block()
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        throw StreamUnavailableException("$what failed: ${e.message}", e)
    }

    /**
     * Settings of a [RedisStreamQueue]; obtain with [RedisStreamQueue.builder]. Every setting but the URI has a
     * default.
     */
    public class Builder internal constructor(internal val uri: String) {
        internal var name: String = "restflow:invalidation"
        internal var maxLength: Long = 100_000
        internal var commandTimeout: java.time.Duration = java.time.Duration.ofMillis(500)
        internal var connectTimeout: java.time.Duration = java.time.Duration.ofSeconds(2)
        internal var meterRegistry: MeterRegistry? = null

        /** The queue name (default `restflow:invalidation`), the hash tag of its keys; no braces. */
        public fun name(name: String): Builder = apply {
            StreamKeys(name)
            this.name = name
        }

        /**
         * About how many entries the work and dead-letter streams keep (default 100 000; `MAXLEN ~`, so Redis trims
         * in whole nodes and may keep somewhat more). Trimming drops the oldest entries, pending or not: size it
         * well above the backlog a worker outage can build.
         */
        public fun maxLength(entries: Long): Builder = apply {
            require(entries > 0) { "maxLength must be positive" }
            maxLength = entries
        }

        /** How long a command may take before it fails (default 500 ms, not Lettuce's 60 s). */
        public fun commandTimeout(timeout: java.time.Duration): Builder = apply {
            require(!timeout.isNegative && !timeout.isZero) { "commandTimeout must be positive" }
            commandTimeout = timeout
        }

        /** How long connecting may take (default 2 s). */
        public fun connectTimeout(timeout: java.time.Duration): Builder = apply {
            require(!timeout.isNegative && !timeout.isZero) { "connectTimeout must be positive" }
            connectTimeout = timeout
        }

        /** Registers the queue's and its workers' meters in [registry] (optional). */
        public fun meterRegistry(registry: MeterRegistry?): Builder = apply { meterRegistry = registry }

        /** Connects and builds the queue. */
        public fun build(): RedisStreamQueue = RedisStreamQueue(this)
    }

    /** Factories. */
    public companion object {
        internal const val PAYLOAD: String = "payload"

        /** A builder for a queue on the Redis at [uri] (`redis://host:port/db`). */
        @JvmStatic
        public fun builder(uri: String): Builder = Builder(uri)
    }
}
