package dev.restflow.exposed.invalidation

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import java.time.Duration

/**
 * Applies batches in coroutines launched in [scope] (the application's; drf-restflow's `asyncio` dispatcher), at
 * most [maxPending] taken and not yet applied; when full, [onFull] decides (on the committing thread). The work
 * suspends and never blocks the scope's threads: cache deletes and rewarms suspend on the backend's I/O, suspending
 * custom invalidators (Kotlin `invalidator { }`) run in [scope], blocking ones ([CustomInvalidator]) on
 * `Dispatchers.IO` ([DispatchContext.applySuspending]). A batch once taken is applied even if [scope] is cancelled
 * meanwhile (never dropped). [close] waits for what was taken; it does not cancel [scope].
 */
public class CoroutineDispatcher @JvmOverloads constructor(
    /** Where the work runs. */
    public val scope: CoroutineScope = CoroutineScope(SupervisorJob() + Dispatchers.IO),
    override val name: String = NAME,
    /** Batches taken and not yet applied, at most. */
    public val maxPending: Int = 10_000,
    /** What a full queue does. */
    public val onFull: QueueFullPolicy = QueueFullPolicy.BLOCK,
    /** The dispatcher a full queue spills to (with [QueueFullPolicy.SPILL]). */
    public val spillTo: String? = null,
    override val raiseException: Boolean? = null,
) : InvalidationDispatcher {
    private val gate = PendingGate(name, maxPending, onFull, spillTo)

    override fun dispatch(batch: InvalidationBatch, context: DispatchContext) {
        gate.admit(batch, context) { task -> scope.launch(start = CoroutineStart.ATOMIC) { task.run() } }
    }

    override fun pending(): Int = gate.pending()

    override fun awaitIdle(timeout: Duration): Boolean = gate.awaitIdle(timeout)

    override fun close() {
        gate.awaitIdle(Duration.ofSeconds(30))
    }

    /** The built-in name. */
    public companion object {
        /** `coroutine`. */
        public const val NAME: String = "coroutine"
    }
}
