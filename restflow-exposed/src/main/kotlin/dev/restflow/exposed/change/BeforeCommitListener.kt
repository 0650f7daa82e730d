package dev.restflow.exposed.change

import org.jetbrains.exposed.v1.jdbc.JdbcTransaction

/**
 * Receives the buffered writes of a transaction just before its outermost commit, while it is still open, on the
 * committing thread: what the listener writes through [transaction] (an outbox row, say) commits or rolls back with
 * the change itself. Writes of nested transactions that rolled back are not included.
 *
 * Unlike a [ChangeListener], an exception here propagates and fails the commit: nothing of the transaction is kept.
 */
public fun interface BeforeCommitListener {
    /** The writes [transaction] is about to commit, in statement order. */
    public fun beforeCommit(transaction: JdbcTransaction, changes: List<TableChange>)
}
