package dev.restflow.exposed.invalidation

import java.time.Duration
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.ThreadFactory
import java.util.concurrent.ThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * Applies batches on a bounded pool of [maxWorkers] daemon threads, at most [queueCapacity] batches taken and not
 * yet applied; when full, [onFull] decides (block the committer, widen, or spill to [spillTo]). Failures are logged
 * and counted (nobody waits to be raised to). [close] drains what was taken.
 */
public class ThreadPoolDispatcher @JvmOverloads constructor(
    override val name: String = NAME,
    /** Worker threads. */
    public val maxWorkers: Int = 4,
    /** Batches taken and not yet applied, at most. */
    public val queueCapacity: Int = 10_000,
    /** What a full queue does. */
    public val onFull: QueueFullPolicy = QueueFullPolicy.BLOCK,
    /** The dispatcher a full queue spills to (with [QueueFullPolicy.SPILL]). */
    public val spillTo: String? = null,
    override val raiseException: Boolean? = null,
) : InvalidationDispatcher {
    init {
        require(maxWorkers > 0) { "Dispatcher $name: maxWorkers must be positive, was $maxWorkers" }
    }

    private val gate = PendingGate(name, queueCapacity, onFull, spillTo)
    private val executor: ThreadPoolExecutor by lazy {
        val threads = AtomicInteger()
        val factory = ThreadFactory { r -> Thread(r, "restflow-invalidation-$name-${threads.incrementAndGet()}").apply { isDaemon = true } }
        // unbounded work queue: the gate bounds it
        ThreadPoolExecutor(maxWorkers, maxWorkers, 60, TimeUnit.SECONDS, LinkedBlockingQueue(), factory)
            .apply { allowCoreThreadTimeOut(true) }
    }

    override fun dispatch(batch: InvalidationBatch, context: DispatchContext) {
        gate.admit(batch, context) { task -> executor.execute(task::runBlocking) }
    }

    override fun pending(): Int = gate.pending()

    override fun awaitIdle(timeout: Duration): Boolean = gate.awaitIdle(timeout)

    override fun close() {
        gate.awaitIdle(Duration.ofSeconds(30))
        executor.shutdown()
    }

    /** The built-in name. */
    public companion object {
        /** `threadpool`. */
        public const val NAME: String = "threadpool"
    }
}
