package dev.restflow.exposed.invalidation

import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import java.time.Duration
import java.util.concurrent.Semaphore
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * The bound of a queued dispatcher: at most [capacity] batches taken and not yet applied. [admit] applies the
 * dispatcher's [QueueFullPolicy] when there is no room; its `start` runs an admitted batch's [Task], blocking
 * ([Task.runBlocking], on a pool thread) or suspending ([Task.run], in a coroutine).
 */
internal class PendingGate(
    private val dispatcher: String,
    private val capacity: Int,
    private val onFull: QueueFullPolicy,
    private val spillTo: String?,
) {
    init {
        require(capacity > 0) { "Dispatcher $dispatcher: the queue capacity must be positive, was $capacity" }
        require((onFull == QueueFullPolicy.SPILL) == (spillTo != null)) {
            "Dispatcher $dispatcher: SPILL needs spillTo (and only SPILL uses it)"
        }
    }

    private val permits = Semaphore(capacity)
    private val lock = ReentrantLock()
    private val idle = lock.newCondition()
    @Volatile private var count = 0

    fun pending(): Int = count

    /**
     * Takes [batch]: when there is room, [start]s a task that applies it and releases the room; when full, blocks,
     * widens (applied here, on the committing thread) or spills, as the policy says.
     */
    fun admit(batch: InvalidationBatch, context: DispatchContext, start: (task: Task) -> Unit) {
        if (!permits.tryAcquire()) {
            context.queueFull(dispatcher, onFull, batch)
            when (onFull) {
                QueueFullPolicy.BLOCK -> permits.acquire()
                QueueFullPolicy.WIDEN -> return context.apply(batch.widened())
                QueueFullPolicy.SPILL -> return context.dispatcher(spillTo!!).dispatch(batch, context)
            }
        }
        lock.withLock { count++ }
        val task = Task(batch, context)
        try {
            start(task)
        } catch (e: Throwable) {
            done()
            throw e
        }
    }

    /** An admitted batch; run it exactly once, by either method. */
    inner class Task(private val batch: InvalidationBatch, private val context: DispatchContext) {
        /** Applies the batch blocking the current thread (a pool thread), then releases its room. */
        fun runBlocking() {
            try {
                context.apply(batch)
            } catch (e: Exception) {
                // failures are logged and counted by apply; a queued dispatcher has no caller to raise to
            } finally {
                done()
            }
        }

        /**
         * Applies the batch suspending (never blocking the coroutine's thread), then releases its room. Not
         * cancellable: a taken batch is applied even when the scope is cancelled meanwhile (never dropped, R-38).
         */
        suspend fun run() {
            try {
                withContext(NonCancellable) { context.applySuspending(batch) }
            } catch (e: Exception) {
                // as in runBlocking
            } finally {
                done()
            }
        }
    }

    private fun done() {
        permits.release()
        lock.withLock {
            count--
            if (count == 0) idle.signalAll()
        }
    }

    fun awaitIdle(timeout: Duration): Boolean {
        var nanos = timeout.toNanos()
        lock.withLock {
            while (count > 0) {
                if (nanos <= 0) return false
                nanos = idle.awaitNanos(nanos)
            }
        }
        return true
    }

}
