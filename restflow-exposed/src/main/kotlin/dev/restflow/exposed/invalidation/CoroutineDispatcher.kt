package dev.restflow.exposed.invalidation

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import java.time.Duration

/**
 * Applies batches in coroutines launched in [scope] (the application's; drf-restflow's `asyncio` dispatcher), at
 * most [maxPending] taken and not yet applied; when full, [onFull] decides. The work blocks on cache I/O, so give a
 * scope on `Dispatchers.IO` (the default scope does). [close] waits for what was taken; it does not cancel [scope].
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
        gate.admit(batch, context) { task -> scope.launch(start = CoroutineStart.ATOMIC) { task() } }
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
