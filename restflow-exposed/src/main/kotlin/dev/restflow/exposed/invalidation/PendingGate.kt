package dev.restflow.exposed.invalidation

import java.time.Duration
import java.util.concurrent.Semaphore
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * The bound of a queued dispatcher: at most [capacity] batches taken and not yet applied. [admit] applies the
 * dispatcher's [QueueFullPolicy] when there is no room; [start] runs an admitted batch's work.
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
     * widens (applied here) or spills, as the policy says.
     */
    fun admit(batch: InvalidationBatch, context: DispatchContext, start: (task: () -> Unit) -> Unit) {
        if (!permits.tryAcquire()) {
            context.queueFull(dispatcher, onFull, batch)
            when (onFull) {
                QueueFullPolicy.BLOCK -> permits.acquire()
                QueueFullPolicy.WIDEN -> return context.apply(batch.widened())
                QueueFullPolicy.SPILL -> return context.dispatcher(spillTo!!).dispatch(batch, context)
            }
        }
        lock.withLock { count++ }
        val task = {
            try {
                context.apply(batch)
            } catch (e: Exception) {
                // failures are logged and counted by apply; a queued dispatcher has no caller to raise to
            } finally {
                done()
            }
        }
        try {
            start(task)
        } catch (e: Throwable) {
            done()
            throw e
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
