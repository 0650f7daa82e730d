package dev.restflow.exposed.invalidation

import dev.restflow.exposed.outbox.Outbox
import dev.restflow.exposed.outbox.OutboxRelay
import org.jetbrains.exposed.v1.jdbc.Database

/**
 * The durable `outbox` dispatcher: each batch is written to `restflow_outbox` by [Outbox.enqueue] **inside the
 * transaction of the change**, just before it commits, so the invalidation commits or rolls back with the change
 * and a crash between the commit and the eviction loses nothing. A relay built by [relay] (in this process or
 * a worker) later applies the stored batches through [InvalidationRegistry.applyEncoded]; delivery is at least once
 * and applying a batch twice is harmless. Create the table once with [Outbox.createSchema].
 *
 * Evictions happen up to one relay poll interval after the commit; [InvalidationRegistry.awaitIdle] does not wait
 * for them.
 */
public class OutboxDispatcher @JvmOverloads constructor(
    override val name: String = NAME,
    override val raiseException: Boolean? = null,
) : InvalidationDispatcher {
    override val phase: DispatchPhase get() = DispatchPhase.BEFORE_COMMIT
    override val durable: Boolean get() = true

    override fun dispatch(batch: InvalidationBatch, context: DispatchContext) {
        Outbox.enqueue(batch.encode())
    }

    /** The built-in name and the relay factory. */
    public companion object {
        /** `outbox`. */
        public const val NAME: String = "outbox"

        /**
         * A relay over [database]'s outbox applying each stored batch to [registry] (which must declare the same
         * rules, by name) with [InvalidationRegistry.applyEncodedSuspending]; set its poll interval and retries on
         * the builder, then `build()` and `start()` it. A batch is retried, then parked after `maxAttempts`, only
         * when applying it **raises**: give the rule or this dispatcher `raiseException = true`, or failures are
         * only logged and counted.
         */
        @JvmStatic
        public fun relay(database: Database, registry: InvalidationRegistry): OutboxRelay.Builder =
            OutboxRelay.builder(database).handler { payload: String -> registry.applyEncodedSuspending(payload) }
    }
}
