package dev.restflow.exposed.invalidation

/**
 * The default dispatcher: applies each batch after the commit on the committing thread (or coroutine), so the
 * committing call returns only after the eviction and the writer's next read misses. With `raiseException`, a
 * failure reaches the committing caller as [InvalidationException] (the write has committed).
 */
public class InlineDispatcher @JvmOverloads constructor(
    override val name: String = NAME,
    override val raiseException: Boolean? = null,
) : InvalidationDispatcher {
    override fun dispatch(batch: InvalidationBatch, context: DispatchContext) {
        context.apply(batch)
    }

    /** The built-in name. */
    public companion object {
        /** `inline`. */
        public const val NAME: String = "inline"
    }
}
