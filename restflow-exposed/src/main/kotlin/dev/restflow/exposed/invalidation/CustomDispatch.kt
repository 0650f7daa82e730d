package dev.restflow.exposed.invalidation

/**
 * A custom dispatcher as a function: `registerDispatcher("audit") { batch, context -> log(batch); context.apply(batch) }`.
 * It runs after the commit on the committing thread; to defer, hand the batch (or [InvalidationBatch.encode]) to
 * your own queue and apply it later with [DispatchContext.apply] / [InvalidationRegistry.applyEncoded] from a
 * thread, or [DispatchContext.applySuspending] / [InvalidationRegistry.applyEncodedSuspending] from a coroutine.
 */
public fun interface CustomDispatch {
    /** Takes [batch]. */
    public fun dispatch(batch: InvalidationBatch, context: DispatchContext)
}
