package dev.restflow.exposed.invalidation

/** What an [InvalidationDispatcher] may do with a batch: the registry it was handed by. */
public interface DispatchContext {
    /**
     * Applies [batch] now, on the calling thread: deletes, rewarms, custom invalidators. Failures of items whose
     * `raiseException` resolves to true are thrown as [InvalidationException] once every item ran; others are logged
     * and counted.
     */
    public fun apply(batch: InvalidationBatch)

    /** The registered dispatcher named [name]; fails with [IllegalArgumentException] listing the known ones. */
    public fun dispatcher(name: String): InvalidationDispatcher

    /** Records that [dispatcher]'s queue was full and [policy] handled [batch] (metric and log). */
    public fun queueFull(dispatcher: String, policy: QueueFullPolicy, batch: InvalidationBatch)
}
