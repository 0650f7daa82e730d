package dev.restflow.exposed.invalidation

/** What a bounded dispatcher does with a batch when its queue is full; never a silent drop. */
public enum class QueueFullPolicy {
    /** The committing thread waits for room. */
    BLOCK,

    /** The batch is widened to whole-target flushes (namespace deletes, `invalidateAll`) and applied on the committing thread. */
    WIDEN,

    /** The batch is handed to the dispatcher's `spillTo` dispatcher (a durable one, typically). */
    SPILL,
}
