package dev.restflow.exposed.invalidation

import java.time.Duration

/**
 * Carries a commit's [InvalidationBatch]es to where they are applied: on the committing thread ([InlineDispatcher]),
 * a thread pool ([ThreadPoolDispatcher]), a coroutine scope ([CoroutineDispatcher]), or durable storage (a Redis
 * stream, a database outbox) whose worker later calls [InvalidationRegistry.applyEncoded], possibly in another
 * process. Register it with [InvalidationRegistryBuilder.dispatcher]; rules choose it by [name].
 *
 * Implementations must never drop a batch silently: when they cannot take one they block, widen it or hand
 * it on, and report it with [DispatchContext.queueFull].
 */
public interface InvalidationDispatcher : AutoCloseable {
    /** The name rules use, unique in a registry. */
    public val name: String

    /** When it receives batches; [DispatchPhase.BEFORE_COMMIT] runs inside the transaction (an outbox). */
    public val phase: DispatchPhase get() = DispatchPhase.AFTER_COMMIT

    /** Whether its batches survive a crash; [InvalidationRegistry.awaitIdle] does not wait for durable ones. */
    public val durable: Boolean get() = false

    /** Whether failures of work it carries are raised (`null`: the registry's setting); a rule's own setting wins. */
    public val raiseException: Boolean? get() = null

    /** Takes [batch]: applies it with [context] now or later, or stores it for a worker. */
    public fun dispatch(batch: InvalidationBatch, context: DispatchContext)

    /** Batches taken and not yet applied (0 for dispatchers that cannot tell). */
    public fun pending(): Int = 0

    /** Waits up to [timeout] until nothing taken is still pending; `true` when idle. */
    public fun awaitIdle(timeout: Duration): Boolean = pending() == 0

    /** Stops taking batches and drains what was taken. */
    override fun close() {}
}
