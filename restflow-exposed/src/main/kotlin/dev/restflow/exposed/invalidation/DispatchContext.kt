package dev.restflow.exposed.invalidation

/**
 * What an [InvalidationDispatcher] may do with a batch: the registry it was handed by.
 *
 * Applying comes in two forms with the same effect: [apply] blocks the calling thread (thread-based dispatchers,
 * Java), [applySuspending] suspends (coroutine-based dispatchers: cache I/O and suspending custom invalidators run
 * without blocking a thread, blocking custom invalidators are moved to `Dispatchers.IO`).
 */
public interface DispatchContext {
    /**
     * Applies [batch] now, blocking the calling thread until done: deletes, rewarms, custom invalidators (suspending
     * ones run on the calling thread inside `runBlocking`). Failures of items whose `raiseException` resolves to true
     * are thrown as [InvalidationException] once every item ran; others are logged and counted. Do not call it from
     * a coroutine: use [applySuspending].
     */
    public fun apply(batch: InvalidationBatch)

    /**
     * Applies [batch] like [apply], suspending instead of blocking: cache deletes and rewarms suspend on the
     * backend's I/O, suspending custom invalidators are called in the caller's context, blocking ones
     * ([CustomInvalidator]) on `Dispatchers.IO`. Failures are handled as in [apply]. Cancelling the caller cancels
     * the items not yet applied (the ones applied stay applied).
     */
    public suspend fun applySuspending(batch: InvalidationBatch)

    /** The registered dispatcher named [name]; fails with [IllegalArgumentException] listing the known ones. */
    public fun dispatcher(name: String): InvalidationDispatcher

    /** Records that [dispatcher]'s queue was full and [policy] handled [batch] (metric and log). */
    public fun queueFull(dispatcher: String, policy: QueueFullPolicy, batch: InvalidationBatch)
}
