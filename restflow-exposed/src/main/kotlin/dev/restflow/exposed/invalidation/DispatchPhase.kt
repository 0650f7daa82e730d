package dev.restflow.exposed.invalidation

/** When a dispatcher receives a commit's batches. */
public enum class DispatchPhase {
    /** After the outermost commit, on the committing thread (every built-in dispatcher). */
    AFTER_COMMIT,

    /**
     * Just before the outermost commit, inside the transaction, on the committing thread: what the dispatcher writes
     * through the current transaction commits or rolls back with the change (a transactional outbox). An exception
     * fails the commit.
     */
    BEFORE_COMMIT,
}
