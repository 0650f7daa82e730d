package dev.restflow.exposed.outbox

import org.jetbrains.exposed.v1.core.and
import org.jetbrains.exposed.v1.core.isNotNull
import org.jetbrains.exposed.v1.core.isNull
import org.jetbrains.exposed.v1.core.less
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.deleteWhere
import org.jetbrains.exposed.v1.jdbc.insertAndGetId
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.time.Clock

/**
 * The transactional outbox: work recorded in the same database transaction as the change that causes it, so it
 * commits or rolls back with that change, and is carried out later by an [OutboxRelay] (R-37: a crash between
 * commit and dispatch loses nothing).
 *
 * Rows live in the `restflow_outbox` table (create it with [createSchema] or your migrations: `id` BIGSERIAL,
 * `payload` TEXT, `created_at` BIGINT, `attempts` INT, `last_error` TEXT NULL, `available_at` BIGINT, `done_at`
 * BIGINT NULL, `dead_at` BIGINT NULL, times in epoch milliseconds). Relayed rows are kept with `done_at` set (useful
 * for "was this delivered?") until [purgeDone] removes them; rows that failed too often are kept with `dead_at` set.
 */
public object Outbox {
    /** The table's name. */
    public const val TABLE_NAME: String = "restflow_outbox"

    /**
     * Inserts [payload] into the outbox in the current Exposed transaction and returns the row's id. The row becomes
     * visible to relays only when that transaction commits, and disappears with it on rollback (also with a rolled
     * back nested transaction / savepoint).
     *
     * @throws IllegalStateException when called outside a transaction: an outbox row written on its own would not be
     *   atomic with the change it describes.
     */
    @JvmStatic
    public fun enqueue(payload: String): Long {
        checkNotNull(TransactionManager.currentOrNull()) {
            "Outbox.enqueue must be called inside the Exposed transaction that makes the change (transaction(db) { ... })"
        }
        val now = System.currentTimeMillis()
        return OutboxTable.insertAndGetId {
            it[OutboxTable.payload] = payload
            it[createdAt] = now
            it[availableAt] = now
        }.value
    }

    /** Creates the outbox table and its index in [db] if they are missing; safe to call at every start-up. */
    @JvmStatic
    public fun createSchema(db: Database) {
        transaction(db) { SchemaUtils.create(OutboxTable) }
    }

    /** Counts rows neither relayed nor parked (whether or not currently claimed by a relay). */
    @JvmStatic
    public fun pendingCount(db: Database): Long = transaction(db) {
        OutboxTable.selectAll().where { OutboxTable.doneAt.isNull() and OutboxTable.deadAt.isNull() }.count()
    }

    /** Counts rows parked as dead after too many failed attempts. */
    @JvmStatic
    public fun deadCount(db: Database): Long = transaction(db) {
        OutboxTable.selectAll().where { OutboxTable.deadAt.isNotNull() }.count()
    }

    /**
     * Deletes relayed rows marked done more than [olderThan] ago and returns how many it deleted. Pending and dead
     * rows are never deleted. Run it now and then (a scheduled job, or after relay passes).
     */
    @JvmStatic
    @JvmOverloads
    public fun purgeDone(db: Database, olderThan: java.time.Duration, clock: Clock = Clock.systemUTC()): Int {
        val cutoff = clock.millis() - olderThan.toMillis()
        return transaction(db) {
            OutboxTable.deleteWhere { doneAt.isNotNull() and (doneAt less cutoff) }
        }
    }
}
