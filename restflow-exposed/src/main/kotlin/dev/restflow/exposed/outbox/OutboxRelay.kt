package dev.restflow.exposed.outbox

import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.MeterRegistry
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.future.future
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull
import org.jetbrains.exposed.v1.core.plus
import org.jetbrains.exposed.v1.core.and
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.inList
import org.jetbrains.exposed.v1.core.isNull
import org.jetbrains.exposed.v1.core.lessEq
import org.jetbrains.exposed.v1.core.vendors.ForUpdateOption
import org.jetbrains.exposed.v1.core.vendors.PostgreSQLDialect
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.select
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.time.Clock
import java.util.concurrent.CompletableFuture
import kotlin.time.toJavaDuration

/**
 * Relays [Outbox] rows to a handler: claims committed pending rows in batches, runs the handler on each payload
 * outside any transaction, marks successes done, and retries failures with exponential backoff until
 * [Builder.maxAttempts], after which the row is parked as dead (`dead_at` set, last error kept).
 *
 * **Claiming.** A claim is a short transaction that moves each row's `available_at` forward by
 * [Builder.claimTimeout] (a lease) and counts the attempt. On PostgreSQL the rows are selected
 * `FOR UPDATE SKIP LOCKED`, so concurrent relays (threads or processes) never claim the same row; on other databases
 * (H2, …) each row is claimed by a compare-and-set update on its `available_at` and `attempts`, which is equally
 * exclusive, only with more contention. A relay that dies mid-batch leaves its rows leased; they are delivered again
 * once the lease runs out. A row that used up its attempts while leased is parked at its next claim.
 *
 * **Delivery is at least once.** A crash after the handler ran and before the row was marked done delivers it
 * again, so handlers must be idempotent (cache invalidation is). Within one [relayOnce] pass a row is delivered at
 * most once, and two relays on PostgreSQL never deliver the same row concurrently.
 *
 * **Running.** [relayOnce] / [relayOnceBlocking] run one pass (useful in tests, batch jobs and from a scheduler);
 * [start] runs passes in the background every [Builder.pollInterval] (immediately again after a full batch), and
 * [wakeUp] starts the next pass early (call it after committing an outbox row for low latency). [stop] is graceful:
 * it lets the pass in flight finish, handlers included, then returns.
 *
 * Metrics (when [Builder.meterRegistry] is set): counters `restflow.outbox.relayed`, `restflow.outbox.failed`
 * (failed attempts) and `restflow.outbox.dead` (rows parked).
 */
public class OutboxRelay private constructor(builder: Builder) : AutoCloseable {
    private val db: Database = builder.db
    private val handler: suspend (String) -> Unit = checkNotNull(builder.handler) { "OutboxRelay needs a handler" }
    private val pollInterval: java.time.Duration = builder.pollInterval
    private val batchSize: Int = builder.batchSize
    private val maxAttempts: Int = builder.maxAttempts
    private val initialBackoffMillis: Long = builder.initialBackoff.toMillis()
    private val maxBackoffMillis: Long = builder.maxBackoff.toMillis()
    private val claimTimeoutMillis: Long = builder.claimTimeout.toMillis()
    private val clock: Clock = builder.clock
    private val relayed: Counter? = builder.meterRegistry?.let { Counter.builder("restflow.outbox.relayed").description("Outbox rows delivered and marked done").register(it) }
    private val failed: Counter? = builder.meterRegistry?.let { Counter.builder("restflow.outbox.failed").description("Outbox deliveries whose handler failed").register(it) }
    private val dead: Counter? = builder.meterRegistry?.let { Counter.builder("restflow.outbox.dead").description("Outbox rows parked after too many attempts").register(it) }

    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    private val wake = Channel<Unit>(Channel.CONFLATED)

    @Volatile
    private var running = false
    private var loop: Job? = null

    /**
     * Kotlin constructor: relays [db]'s outbox to [handler], polling every [pollInterval], [batchSize] rows a pass,
     * parking a row after [maxAttempts] failed attempts. Other settings take their [Builder] defaults.
     */
    public constructor(
        db: Database,
        handler: suspend (String) -> Unit,
        pollInterval: kotlin.time.Duration,
        batchSize: Int = 100,
        maxAttempts: Int = 10,
    ) : this(Builder(db).handler(handler).pollInterval(pollInterval.toJavaDuration()).batchSize(batchSize).maxAttempts(maxAttempts))

    /**
     * Runs one relay pass: claims up to `batchSize` rows available now, delivers each, and records the outcome.
     * Returns how many rows were delivered successfully. Rows failing here are not retried within this pass.
     * Database errors propagate (nothing is lost: claimed rows come back when their lease runs out).
     */
    public suspend fun relayOnce(): Int = withContext(Dispatchers.IO + NonCancellable) {
        val claimed = claim()
        val done = ArrayList<Long>(claimed.size)
        for (row in claimed) {
            if (row.attempts > maxAttempts) {
                park(row.id, row.attempts - 1, "abandoned: the relay stopped during its last attempt")
                continue
            }
            try {
                handler(row.payload)
                done += row.id
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                failed?.increment()
                val message = (e.message ?: e.javaClass.name).take(4000)
                if (row.attempts >= maxAttempts) park(row.id, row.attempts, message) else retryLater(row.id, row.attempts, message)
            }
        }
        if (done.isNotEmpty()) {
            val now = clock.millis()
            transaction(db) {
                OutboxTable.update({ (OutboxTable.id inList done) and OutboxTable.doneAt.isNull() }) { it[doneAt] = now }
            }
            relayed?.increment(done.size.toDouble())
        }
        done.size
    }

    /** Blocking form of [relayOnce], for Java and plain threads. */
    public fun relayOnceBlocking(): Int = runBlocking { relayOnce() }

    /**
     * Starts relaying in the background: a pass every poll interval, or at once after a full batch or a [wakeUp].
     * A failing pass (database down) is retried at the next interval. Idempotent.
     */
    @Synchronized
    public fun start() {
        if (running) return
        running = true
        loop = scope.launch {
            while (running) {
                val delivered = try {
                    relayOnce()
                } catch (e: Exception) {
                    0
                }
                if (!running) break
                if (delivered < batchSize) withTimeoutOrNull(pollInterval.toMillis()) { wake.receive() }
            }
        }
    }

    /** Asks a started relay to run its next pass now instead of at the end of the poll interval. */
    public fun wakeUp() {
        wake.trySend(Unit)
    }

    /** Stops the background loop gracefully: the pass in flight finishes (handlers and bookkeeping), then it returns. */
    public fun stop() {
        runBlocking { stopGracefully() }
    }

    /** Non-blocking form of [stop]; the future completes once the pass in flight has finished. */
    public fun stopAsync(): CompletableFuture<Void?> = scope.future { stopGracefully() }.thenApply { null }

    private suspend fun stopGracefully() {
        val job = synchronized(this) {
            running = false
            loop.also { loop = null }
        }
        wake.trySend(Unit)
        job?.join()
    }

    /** Same as [stop]. */
    override fun close(): Unit = stop()

    private class Claimed(val id: Long, val payload: String, val attempts: Int)

    private fun claim(): List<Claimed> = transaction(db) {
        val now = clock.millis()
        val lease = now + claimTimeoutMillis
        val pending = OutboxTable.doneAt.isNull() and OutboxTable.deadAt.isNull() and (OutboxTable.availableAt lessEq now)
        val query = OutboxTable.select(OutboxTable.id, OutboxTable.payload, OutboxTable.attempts, OutboxTable.availableAt)
            .where { pending }.orderBy(OutboxTable.id).limit(batchSize)
        if (db.dialect is PostgreSQLDialect) {
            val rows = query.forUpdate(ForUpdateOption.PostgreSQL.ForUpdate(ForUpdateOption.PostgreSQL.MODE.SKIP_LOCKED))
                .map { Claimed(it[OutboxTable.id].value, it[OutboxTable.payload], it[OutboxTable.attempts] + 1) }
            if (rows.isNotEmpty()) {
                OutboxTable.update({ OutboxTable.id inList rows.map { it.id } }) {
                    it[availableAt] = lease
                    it[attempts] = attempts + 1
                }
            }
            rows
        } else {
            query.toList().mapNotNull { row ->
                val id = row[OutboxTable.id].value
                val seenAttempts = row[OutboxTable.attempts]
                val won = OutboxTable.update({
                    (OutboxTable.id eq id) and (OutboxTable.attempts eq seenAttempts) and
                        (OutboxTable.availableAt eq row[OutboxTable.availableAt]) and OutboxTable.doneAt.isNull() and
                        OutboxTable.deadAt.isNull()
                }) {
                    it[availableAt] = lease
                    it[attempts] = seenAttempts + 1
                }
                if (won == 1) Claimed(id, row[OutboxTable.payload], seenAttempts + 1) else null
            }
        }
    }

    private fun retryLater(id: Long, attempts: Int, error: String) {
        val shift = (attempts - 1).coerceIn(0, 30)
        val backoff = (initialBackoffMillis shl shift).coerceAtMost(maxBackoffMillis).coerceAtLeast(0)
        val at = clock.millis() + backoff
        transaction(db) {
            OutboxTable.update({ OutboxTable.id eq id }) {
                it[availableAt] = at
                it[lastError] = error
            }
        }
    }

    private fun park(id: Long, attempts: Int, error: String) {
        val now = clock.millis()
        transaction(db) {
            OutboxTable.update({ OutboxTable.id eq id }) {
                it[deadAt] = now
                it[lastError] = "after $attempts attempts: $error"
            }
        }
        dead?.increment()
    }

    /**
     * Settings of an [OutboxRelay]; obtain with [OutboxRelay.builder]. A handler is required; every other setting
     * has a default.
     */
    public class Builder internal constructor(internal val db: Database) {
        internal var handler: (suspend (String) -> Unit)? = null
        internal var pollInterval: java.time.Duration = java.time.Duration.ofSeconds(1)
        internal var batchSize: Int = 100
        internal var maxAttempts: Int = 10
        internal var initialBackoff: java.time.Duration = java.time.Duration.ofMillis(500)
        internal var maxBackoff: java.time.Duration = java.time.Duration.ofMinutes(5)
        internal var claimTimeout: java.time.Duration = java.time.Duration.ofMinutes(1)
        internal var clock: Clock = Clock.systemUTC()
        internal var meterRegistry: MeterRegistry? = null

        /** The Kotlin handler, called with each payload on an IO thread; throwing retries the row. */
        @JvmSynthetic
        public fun handler(handler: suspend (String) -> Unit): Builder = apply { this.handler = handler }

        /** The blocking handler (Java); called on an IO thread; throwing retries the row. */
        public fun handler(handler: OutboxHandler): Builder = apply { this.handler = { handler.handle(it) } }

        /** Time between passes when the outbox is drained (default 1 s); the bound on relay latency without [wakeUp]. */
        public fun pollInterval(interval: java.time.Duration): Builder = apply {
            require(!interval.isNegative && !interval.isZero) { "pollInterval must be positive" }
            pollInterval = interval
        }

        /** Rows claimed per pass (default 100). */
        public fun batchSize(size: Int): Builder = apply {
            require(size > 0) { "batchSize must be positive" }
            batchSize = size
        }

        /** Attempts before a row is parked as dead (default 10). */
        public fun maxAttempts(attempts: Int): Builder = apply {
            require(attempts > 0) { "maxAttempts must be positive" }
            maxAttempts = attempts
        }

        /** Delay before the second attempt (default 500 ms); doubles after each failure up to [maxBackoff]. */
        public fun initialBackoff(delay: java.time.Duration): Builder = apply {
            require(!delay.isNegative) { "initialBackoff must not be negative" }
            initialBackoff = delay
        }

        /** Upper bound of the retry delay (default 5 min). */
        public fun maxBackoff(delay: java.time.Duration): Builder = apply {
            require(!delay.isNegative) { "maxBackoff must not be negative" }
            maxBackoff = delay
        }

        /**
         * How long a claimed row stays reserved for this relay (default 1 min). Longer than the slowest handler
         * batch, or another relay may deliver the row again while the first is still working on it.
         */
        public fun claimTimeout(timeout: java.time.Duration): Builder = apply {
            require(!timeout.isNegative && !timeout.isZero) { "claimTimeout must be positive" }
            claimTimeout = timeout
        }

        /** The clock for leases, backoff and timestamps (default UTC system clock); inject one in tests. */
        public fun clock(clock: Clock): Builder = apply { this.clock = clock }

        /** Registers the relay's counters in [registry] (optional). */
        public fun meterRegistry(registry: MeterRegistry?): Builder = apply { meterRegistry = registry }

        /** Builds the relay; it does nothing until [OutboxRelay.start] or [OutboxRelay.relayOnce]. */
        public fun build(): OutboxRelay = OutboxRelay(this)
    }

    /** Factories. */
    public companion object {
        /** A builder for a relay over [db]'s outbox table. */
        @JvmStatic
        public fun builder(db: Database): Builder = Builder(db)
    }
}
