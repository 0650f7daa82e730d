package dev.restflow.exposed.invalidation

/** A [CustomDispatch] registered under [name]. */
internal class CustomDispatcher(
    override val name: String,
    private val function: CustomDispatch,
    override val raiseException: Boolean?,
) : InvalidationDispatcher {
    override fun dispatch(batch: InvalidationBatch, context: DispatchContext) {
        function.dispatch(batch, context)
    }
}
