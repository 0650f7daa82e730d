package dev.restflow.exposed.invalidation

import dev.restflow.exposed.outbox.Outbox
import dev.restflow.exposed.outbox.OutboxRelay
import org.jetbrains.exposed.v1.core.Transaction
import org.jetbrains.exposed.v1.core.statements.StatementInterceptor
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import java.util.concurrent.CopyOnWriteArrayList

/**
 * The durable `outbox` dispatcher: each batch is written to `restflow_outbox` by [Outbox.enqueue] **inside the
 * transaction of the change**, just before it commits, so the invalidation commits or rolls back with the change
 * and a crash between the commit and the eviction loses nothing. A relay built by [relay] (in this process or
 * a worker) later applies the stored batches through [InvalidationRegistry.applyEncoded]; delivery is at least once
 * and applying a batch twice is harmless. Create the table once with [Outbox.createSchema].
 *
 * Evictions happen up to one relay poll interval after the commit, or right after it for relays registered with
 * [wakeOnCommit] (a relay in the same process); [InvalidationRegistry.awaitIdle] does not wait for them.
 *
 * [raiseException] defaults to `true` here: a batch whose applying fails is then retried by the relay and parked
 * after its `maxAttempts`, instead of being marked done with the failure only logged — a durable transport that
 * acknowledged failed work would lose it. Set it (or the rule's) to `false` to log and drop instead.
 */
public class OutboxDispatcher @JvmOverloads constructor(
    override val name: String = NAME,
    override val raiseException: Boolean? = true,
) : InvalidationDispatcher {
    override val phase: DispatchPhase get() = DispatchPhase.BEFORE_COMMIT
    override val durable: Boolean get() = true

    private val relays = CopyOnWriteArrayList<OutboxRelay>()

    private val wakeAfterCommit = object : StatementInterceptor {
        override fun afterCommit(transaction: Transaction) {
            for (relay in relays) relay.wakeUp()
        }
    }

    /**
     * Wakes [relay] (started, in this process) as soon as a transaction that stored a batch commits, so it applies
     * the batch then rather than at its next poll; its poll interval still bounds the delay for batches committed by
     * other processes. Returns this dispatcher.
     */
    public fun wakeOnCommit(relay: OutboxRelay): OutboxDispatcher = apply { relays += relay }

    override fun dispatch(batch: InvalidationBatch, context: DispatchContext) {
        Outbox.enqueue(batch.encode())
        if (relays.isNotEmpty()) (TransactionManager.currentOrNull() as? JdbcTransaction)?.registerInterceptor(wakeAfterCommit)
    }

    /** The built-in name and the relay factory. */
    public companion object {
        /** `outbox`. */
        public const val NAME: String = "outbox"

        /**
         * A relay over [database]'s outbox applying each stored batch to [registry] (which must declare the same
         * rules, by name) with [InvalidationRegistry.applyEncodedSuspending]; set its poll interval and retries on
         * the builder, then `build()` and `start()` it (and pass it to [wakeOnCommit] when it runs in this process).
         * A batch is retried, then parked after `maxAttempts`, when applying it raises (the default of this
         * dispatcher; with `raiseException = false` failures are only logged and counted).
         */
        @JvmStatic
        public fun relay(database: Database, registry: InvalidationRegistry): OutboxRelay.Builder =
            OutboxRelay.builder(database).handler { payload: String -> registry.applyEncodedSuspending(payload) }
    }
}
