package dev.restflow.ktor.test

import dev.restflow.exposed.invalidation.InvalidationRegistry
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage

/**
 * Something that runs invalidation work after commits and can tell when it has caught up — an invalidation
 * dispatcher, a durable outbox relay. [drain] returns a stage that completes once everything enqueued before the call
 * has run (it may fail if the work failed). [awaitInvalidation] waits on it.
 *
 * [of] adapts an [InvalidationRegistry] (its non-durable dispatchers); adapt anything else with a lambda. From
 * Kotlin, [awaitInvalidation] also takes a `suspend` drain function directly.
 */
public fun interface Drainable {
    /** A stage that completes when the work enqueued before this call has run. */
    public fun drain(): CompletionStage<*>

    public companion object {
        /**
         * For invalidation that runs on the committing thread before the write returns (the inline dispatcher,
         * `dev.restflow.exposed.invalidation.Invalidator`): always drained.
         */
        @JvmField
        public val INLINE: Drainable = Drainable { CompletableFuture.completedFuture(null) }

        /**
         * Drains [registry]'s non-durable dispatchers ([InvalidationRegistry.awaitIdle]); durable ones (outbox,
         * Redis stream) are drained by running their relay or worker.
         */
        @JvmStatic
        public fun of(registry: InvalidationRegistry): Drainable = Drainable {
            CompletableFuture.runAsync {
                if (!registry.awaitIdle(DEFAULT_DRAIN_TIMEOUT)) throw IllegalStateException("the invalidation registry is still busy")
            }
        }
    }
}
