package dev.restflow.exposed.change

import org.jetbrains.exposed.v1.jdbc.Database

/**
 * Receives the writes of each committed transaction, after the outermost commit, on the committing thread.
 *
 * It must be quick (hand heavy work to a dispatcher) and must not throw: an exception is logged and the other
 * listeners still run, since the transaction has already committed.
 */
public fun interface ChangeListener {
    /** The writes of one committed transaction on [database], in statement order. */
    public fun onCommit(database: Database, changes: List<TableChange>)
}
