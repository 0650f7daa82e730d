package dev.restflow.benchmarks.latency

import dev.restflow.cache.stream.RedisStreamQueue
import dev.restflow.cache.stream.RedisStreamWorker
import dev.restflow.exposed.change.ChangeFeed
import dev.restflow.exposed.invalidation.InvalidationRegistry
import dev.restflow.exposed.invalidation.InvalidationRegistryBuilder
import dev.restflow.exposed.invalidation.OutboxDispatcher
import dev.restflow.exposed.invalidation.RedisStreamDispatcher
import dev.restflow.exposed.invalidation.invalidateOn
import dev.restflow.exposed.outbox.Outbox
import dev.restflow.exposed.outbox.OutboxRelay
import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.time.Duration
import java.util.UUID
import java.util.concurrent.locks.LockSupport

/** What every scenario runs against: the database, the timestamping cache and the namespace of the rule. */
internal class LatencyEnv(
    val db: Database,
    val cache: EvictionClock,
    /** `redis` or `memory`, for the table. */
    val backendName: String,
    val namespace: String,
    val redisUri: String,
    /** The meters of the scenario's registry (invalidation failures, queue full). */
    val meters: SimpleMeterRegistry,
)

/**
 * One dispatcher under measurement: [start] builds an [InvalidationRegistry] whose one rule (`latency_rows.id` →
 * partition of [LatencyEnv.namespace]) uses the dispatcher, plus its worker or relay; [awaitAcknowledged] blocks
 * until the dispatcher says the first `commits` batches are applied, which is when a read must no longer be stale.
 */
internal abstract class LatencyScenario(
    /** The dispatcher's name as rules name it. */
    val dispatcher: String,
    /** The row label (the dispatcher, with a variant). */
    val label: String,
    /** The p99 goal of issue 6, in milliseconds. */
    val goalMillis: Double,
    /** How the goal is written in the table. */
    val goalText: String,
) : AutoCloseable {
    protected lateinit var env: LatencyEnv
    protected lateinit var registry: InvalidationRegistry

    /**
     * The longest pause before each round's commit (a uniform random pause in [0, thinkMillis) is taken). Durable
     * dispatchers poll; without the pause each commit would come right after the previous acknowledgement, always at
     * the same phase of the worker's or relay's cycle, and the samples would not show the spread real commits see.
     */
    open val thinkMillis: Long = 0

    /** Settings worth printing next to the numbers (pool sizes, poll intervals). */
    abstract val settings: String

    /** What "acknowledged" means for this dispatcher. */
    abstract val acknowledgement: String

    fun start(env: LatencyEnv) {
        this.env = env
        val rule = invalidateOn(LatencyRows, "latency-rows") {
            namespace(env.namespace)
            partition(LatencyRows.id)
            dispatcher = this@LatencyScenario.dispatcher
        }
        registry = InvalidationRegistry.builder(env.cache, env.db).rule(rule).meterRegistry(env.meters)
            .also(::configure).build()
        afterBuild()
    }

    protected open fun configure(builder: InvalidationRegistryBuilder) {}

    protected open fun afterBuild() {}

    /** Blocks until the dispatcher acknowledged the first [commits] batches of this scenario; `false` on timeout. */
    abstract fun awaitAcknowledged(commits: Long): Boolean

    override fun close() {
        registry.close()
    }

    /** `inline`: applied on the committing thread before the commit call returns; returning is the acknowledgement. */
    class Inline : LatencyScenario("inline", "inline", 1.0, "p99 ≤ 1 ms") {
        override val settings = "on the committing thread"
        override val acknowledgement = "the transaction call returned"
        override fun awaitAcknowledged(commits: Long) = true
    }

    /** `threadpool` with 4 workers, acknowledged by `registry.awaitIdle`. */
    class ThreadPool : LatencyScenario("threadpool", "threadpool", 2.0, "p99 ≤ 2 ms") {
        override val settings = "4 workers, queue 10,000, BLOCK"
        override val acknowledgement = "registry.awaitIdle() returned true"
        override fun configure(builder: InvalidationRegistryBuilder) {
            builder.threadPool(maxWorkers = 4)
        }
        override fun awaitAcknowledged(commits: Long) = registry.awaitIdle(ACK_TIMEOUT)
    }

    /** `coroutine` in an application scope on `Dispatchers.IO`, acknowledged by `registry.awaitIdle`. */
    class Coroutines : LatencyScenario("coroutine", "coroutine", 2.0, "p99 ≤ 2 ms") {
        private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
        override val settings = "scope on Dispatchers.IO, maxPending 10,000, BLOCK"
        override val acknowledgement = "registry.awaitIdle() returned true"
        override fun configure(builder: InvalidationRegistryBuilder) {
            builder.coroutines(scope)
        }
        override fun awaitAcknowledged(commits: Long) = registry.awaitIdle(ACK_TIMEOUT)
        override fun close() {
            super.close()
            scope.cancel()
        }
    }

    /**
     * `redis-stream`: `XADD` after the commit; one consumer-group worker in this process applies each entry and
     * `XACK`s it. Its `XREADGROUP` blocks for up to [pollMillis] and returns as soon as an entry arrives; pending
     * entries are scanned every [pollMillis]. Acknowledged when the worker's `restflow.stream.processed` counter
     * (incremented after `XACK`) reaches the number of commits.
     */
    class RedisStream(private val pollMillis: Long) :
        LatencyScenario("redis-stream", "redis-stream", pollMillis + 5.0, "p99 ≤ poll $pollMillis + 5 ms") {
        private val meters = SimpleMeterRegistry()
        private lateinit var queue: RedisStreamQueue
        private lateinit var streamDispatcher: RedisStreamDispatcher
        private lateinit var worker: RedisStreamWorker
        private lateinit var processed: Counter
        override val thinkMillis = pollMillis
        override val settings = "1 worker, XREADGROUP BLOCK $pollMillis ms (wakes on arrival), batch 16, pending scan every $pollMillis ms"
        override val acknowledgement = "the worker XACKed the entry (restflow.stream.processed)"

        override fun configure(builder: InvalidationRegistryBuilder) {
            queue = RedisStreamQueue.builder(env.redisUri).name("latency-" + UUID.randomUUID()).meterRegistry(meters).build()
            streamDispatcher = RedisStreamDispatcher(queue)
            builder.dispatcher(streamDispatcher)
        }

        override fun afterBuild() {
            worker = streamDispatcher.worker(registry).group("latency").consumer("latency-1")
                .pollInterval(Duration.ofMillis(pollMillis)).build()
            worker.start()
            processed = checkNotNull(meters.find("restflow.stream.processed").counter()) { "the worker registers no processed counter" }
        }

        override fun awaitAcknowledged(commits: Long) = awaitCount(processed, commits)

        override fun close() {
            worker.stop()
            super.close()
            queue.close()
        }
    }

    /**
     * `outbox`: the batch is inserted in the committing transaction; a relay in this process polls every
     * [pollMillis], applies the batches and marks them done. With [wakeOnCommit] an after-commit listener calls
     * `relay.wakeUp()` (what an application whose relay runs in-process can do). Acknowledged when the relay's
     * `restflow.outbox.relayed` counter (incremented after the rows were marked done) reaches the number of commits.
     */
    class Outboxed(private val pollMillis: Long, private val wakeOnCommit: Boolean) : LatencyScenario(
        "outbox", if (wakeOnCommit) "outbox + wakeUp" else "outbox", pollMillis + 5.0, "p99 ≤ poll $pollMillis + 5 ms",
    ) {
        private val meters = SimpleMeterRegistry()
        private lateinit var relay: OutboxRelay
        private lateinit var relayed: Counter
        private var wake: AutoCloseable? = null
        override val thinkMillis = pollMillis
        override val settings = "1 relay, poll $pollMillis ms, batch 100" + if (wakeOnCommit) ", wakeUp() after each commit" else ""
        override val acknowledgement = "the relay marked the row done (restflow.outbox.relayed)"

        override fun configure(builder: InvalidationRegistryBuilder) {
            Outbox.createSchema(env.db)
            transaction(env.db) { exec("DELETE FROM ${Outbox.TABLE_NAME}") }
            builder.dispatcher(OutboxDispatcher())
        }

        override fun afterBuild() {
            relay = OutboxDispatcher.relay(env.db, registry).pollInterval(Duration.ofMillis(pollMillis)).meterRegistry(meters).build()
            relayed = checkNotNull(meters.find("restflow.outbox.relayed").counter()) { "the relay registers no relayed counter" }
            if (wakeOnCommit) {
                wake = ChangeFeed.subscribe(env.db) { _, changes -> if (changes.any { it.table == LatencyRows }) relay.wakeUp() }
            }
            relay.start()
        }

        override fun awaitAcknowledged(commits: Long) = awaitCount(relayed, commits)

        /** Rows not yet marked done. */
        fun pending(): Long = Outbox.pendingCount(env.db)

        override fun close() {
            wake?.close()
            relay.stop()
            super.close()
        }
    }

    companion object {
        val ACK_TIMEOUT: Duration = Duration.ofSeconds(30)

        /** Parks 100 µs at a time (no Redis or database traffic) until [counter] reaches [target]. */
        fun awaitCount(counter: Counter, target: Long): Boolean {
            val deadline = System.nanoTime() + ACK_TIMEOUT.toNanos()
            while (counter.count() < target) {
                if (System.nanoTime() > deadline) return false
                LockSupport.parkNanos(100_000)
            }
            return true
        }
    }
}
