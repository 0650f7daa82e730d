package dev.restflow.ktor.settings

import dev.restflow.RestflowDsl
import java.time.Duration

/**
 * Options of the built-in invalidation dispatchers (`restflow.cache.dispatchers`).
 *
 * Each has `raise-exception`, which, when set, overrides `dispatcher-raise-exception` for that dispatcher (an
 * invalidation rule's own setting overrides both).
 */
public class DispatchersSettings internal constructor(b: DispatchersSettingsBuilder) {
    /** `inline`: runs invalidation after commit in the committing coroutine or thread. */
    public val inline: DispatcherOptions = DispatcherOptions(b.inline.raiseException)

    /** `threadpool`: a bounded executor. */
    public val threadpool: ThreadPoolDispatcherSettings = ThreadPoolDispatcherSettings(b.threadpool)

    /** `coroutine`: the application's coroutine scope. */
    public val coroutine: DispatcherOptions = DispatcherOptions(b.coroutine.raiseException)

    /** `redis-stream`: durable, through a Redis stream and a consumer group. */
    public val redisStream: RedisStreamDispatcherSettings = RedisStreamDispatcherSettings(b.redisStream)

    /** `outbox`: durable, through a table written in the same transaction as the change. */
    public val outbox: OutboxDispatcherSettings = OutboxDispatcherSettings(b.outbox)

    override fun toString(): String =
        "DispatchersSettings(inline=$inline, threadpool=$threadpool, coroutine=$coroutine, " +
            "redisStream=$redisStream, outbox=$outbox)"

    public companion object {
        /** Name of the inline dispatcher. */
        public const val INLINE: String = "inline"

        /** Name of the thread-pool dispatcher. */
        public const val THREADPOOL: String = "threadpool"

        /** Name of the coroutine dispatcher. */
        public const val COROUTINE: String = "coroutine"

        /** Name of the Redis-stream dispatcher. */
        public const val REDIS_STREAM: String = "redis-stream"

        /** Name of the outbox dispatcher. */
        public const val OUTBOX: String = "outbox"

        /** The names of the built-in dispatchers. */
        @JvmField
        public val BUILT_IN: List<String> = listOf(INLINE, THREADPOOL, COROUTINE, REDIS_STREAM, OUTBOX)
    }
}

/** Options every dispatcher has. */
public open class DispatcherOptions internal constructor(
    /** `raise-exception`: `null` inherits `dispatcher-raise-exception`. */
    public val raiseException: Boolean?,
) {
    override fun toString(): String = "DispatcherOptions(raiseException=$raiseException)"
}

/** Options of the `threadpool` dispatcher. */
public class ThreadPoolDispatcherSettings internal constructor(b: ThreadPoolDispatcherSettingsBuilder) :
    DispatcherOptions(b.raiseException) {
    /** `max-workers` (default 4). */
    public val maxWorkers: Int = b.maxWorkers

    /** `queue-capacity` (default 10000): pending invalidations before the dispatcher applies back-pressure. */
    public val queueCapacity: Int = b.queueCapacity

    override fun toString(): String =
        "ThreadPoolDispatcherSettings(maxWorkers=$maxWorkers, queueCapacity=$queueCapacity, raiseException=$raiseException)"
}

/** Options of the `redis-stream` dispatcher. */
public class RedisStreamDispatcherSettings internal constructor(b: RedisStreamDispatcherSettingsBuilder) :
    DispatcherOptions(b.raiseException) {
    /** `stream` (default `restflow:invalidations`). */
    public val stream: String = b.stream

    /** `group` (default `restflow`): the consumer group. */
    public val group: String = b.group

    /** `max-retries` (default 5): deliveries before an entry goes to the dead-letter stream. */
    public val maxRetries: Int = b.maxRetries

    /** `dead-letter-stream` (default `restflow:invalidations:dead`). */
    public val deadLetterStream: String = b.deadLetterStream

    /** `claim-idle` (default 30s): pending entries idle this long are re-claimed from a dead consumer. */
    public val claimIdle: Duration = b.claimIdle

    override fun toString(): String =
        "RedisStreamDispatcherSettings(stream=$stream, group=$group, maxRetries=$maxRetries, " +
            "deadLetterStream=$deadLetterStream, claimIdle=$claimIdle, raiseException=$raiseException)"
}

/** Options of the `outbox` dispatcher. */
public class OutboxDispatcherSettings internal constructor(b: OutboxDispatcherSettingsBuilder) :
    DispatcherOptions(b.raiseException) {
    /** `table` (default `restflow_outbox`). */
    public val table: String = b.table

    /** `poll-interval` (default 1s): how often the relay looks for undelivered events. */
    public val pollInterval: Duration = b.pollInterval

    /** `batch-size` (default 100): events the relay takes per poll. */
    public val batchSize: Int = b.batchSize

    /** `max-retries` (default 5): attempts before an event is marked failed. */
    public val maxRetries: Int = b.maxRetries

    override fun toString(): String =
        "OutboxDispatcherSettings(table=$table, pollInterval=$pollInterval, batchSize=$batchSize, " +
            "maxRetries=$maxRetries, raiseException=$raiseException)"
}

/** Mutable values for [DispatchersSettings]. */
@RestflowDsl
public class DispatchersSettingsBuilder internal constructor() {
    /** See [DispatchersSettings.inline]. */
    public val inline: DispatcherOptionsBuilder = DispatcherOptionsBuilder()

    /** See [DispatchersSettings.threadpool]. */
    public val threadpool: ThreadPoolDispatcherSettingsBuilder = ThreadPoolDispatcherSettingsBuilder()

    /** See [DispatchersSettings.coroutine]. */
    public val coroutine: DispatcherOptionsBuilder = DispatcherOptionsBuilder()

    /** See [DispatchersSettings.redisStream]. */
    public val redisStream: RedisStreamDispatcherSettingsBuilder = RedisStreamDispatcherSettingsBuilder()

    /** See [DispatchersSettings.outbox]. */
    public val outbox: OutboxDispatcherSettingsBuilder = OutboxDispatcherSettingsBuilder()

    /** Configures the inline dispatcher. */
    @JvmSynthetic public fun inline(block: DispatcherOptionsBuilder.() -> Unit): Unit = inline.block()

    /** Configures the thread-pool dispatcher. */
    @JvmSynthetic public fun threadpool(block: ThreadPoolDispatcherSettingsBuilder.() -> Unit): Unit = threadpool.block()

    /** Configures the coroutine dispatcher. */
    @JvmSynthetic public fun coroutine(block: DispatcherOptionsBuilder.() -> Unit): Unit = coroutine.block()

    /** Configures the Redis-stream dispatcher. */
    @JvmSynthetic public fun redisStream(block: RedisStreamDispatcherSettingsBuilder.() -> Unit): Unit = redisStream.block()

    /** Configures the outbox dispatcher. */
    @JvmSynthetic public fun outbox(block: OutboxDispatcherSettingsBuilder.() -> Unit): Unit = outbox.block()

    internal fun copyFrom(s: DispatchersSettings) {
        inline.raiseException = s.inline.raiseException
        coroutine.raiseException = s.coroutine.raiseException
        threadpool.apply {
            raiseException = s.threadpool.raiseException
            maxWorkers = s.threadpool.maxWorkers
            queueCapacity = s.threadpool.queueCapacity
        }
        redisStream.apply {
            raiseException = s.redisStream.raiseException
            stream = s.redisStream.stream
            group = s.redisStream.group
            maxRetries = s.redisStream.maxRetries
            deadLetterStream = s.redisStream.deadLetterStream
            claimIdle = s.redisStream.claimIdle
        }
        outbox.apply {
            raiseException = s.outbox.raiseException
            table = s.outbox.table
            pollInterval = s.outbox.pollInterval
            batchSize = s.outbox.batchSize
            maxRetries = s.outbox.maxRetries
        }
    }

    internal fun validate(problems: Problems) {
        val p = "restflow.cache.dispatchers"
        problems.atLeast("$p.threadpool.max-workers", threadpool.maxWorkers.toLong(), 1)
        problems.atLeast("$p.threadpool.queue-capacity", threadpool.queueCapacity.toLong(), 1)
        problems.notBlank("$p.redis-stream.stream", redisStream.stream)
        problems.notBlank("$p.redis-stream.group", redisStream.group)
        problems.notBlank("$p.redis-stream.dead-letter-stream", redisStream.deadLetterStream)
        problems.atLeast("$p.redis-stream.max-retries", redisStream.maxRetries.toLong(), 0)
        problems.positive("$p.redis-stream.claim-idle", redisStream.claimIdle)
        if (!outbox.table.matches(Regex("[A-Za-z_][A-Za-z0-9_]{0,62}"))) {
            problems.add("$p.outbox.table: '${outbox.table}' is not a valid table name (letters, digits, underscores)")
        }
        problems.positive("$p.outbox.poll-interval", outbox.pollInterval)
        problems.atLeast("$p.outbox.batch-size", outbox.batchSize.toLong(), 1)
        problems.atLeast("$p.outbox.max-retries", outbox.maxRetries.toLong(), 0)
    }
}

/** Mutable options every dispatcher has. */
@RestflowDsl
public open class DispatcherOptionsBuilder internal constructor() {
    /** See [DispatcherOptions.raiseException]. */
    public var raiseException: Boolean? = null
}

/** Mutable values for [ThreadPoolDispatcherSettings]. */
@RestflowDsl
public class ThreadPoolDispatcherSettingsBuilder internal constructor() : DispatcherOptionsBuilder() {
    /** See [ThreadPoolDispatcherSettings.maxWorkers]. */
    public var maxWorkers: Int = 4

    /** See [ThreadPoolDispatcherSettings.queueCapacity]. */
    public var queueCapacity: Int = 10_000
}

/** Mutable values for [RedisStreamDispatcherSettings]. */
@RestflowDsl
public class RedisStreamDispatcherSettingsBuilder internal constructor() : DispatcherOptionsBuilder() {
    /** See [RedisStreamDispatcherSettings.stream]. */
    public var stream: String = "restflow:invalidations"

    /** See [RedisStreamDispatcherSettings.group]. */
    public var group: String = "restflow"

    /** See [RedisStreamDispatcherSettings.maxRetries]. */
    public var maxRetries: Int = 5

    /** See [RedisStreamDispatcherSettings.deadLetterStream]. */
    public var deadLetterStream: String = "restflow:invalidations:dead"

    /** See [RedisStreamDispatcherSettings.claimIdle]. */
    public var claimIdle: Duration = Duration.ofSeconds(30)
}

/** Mutable values for [OutboxDispatcherSettings]. */
@RestflowDsl
public class OutboxDispatcherSettingsBuilder internal constructor() : DispatcherOptionsBuilder() {
    /** See [OutboxDispatcherSettings.table]. */
    public var table: String = "restflow_outbox"

    /** See [OutboxDispatcherSettings.pollInterval]. */
    public var pollInterval: Duration = Duration.ofSeconds(1)

    /** See [OutboxDispatcherSettings.batchSize]. */
    public var batchSize: Int = 100

    /** See [OutboxDispatcherSettings.maxRetries]. */
    public var maxRetries: Int = 5
}
