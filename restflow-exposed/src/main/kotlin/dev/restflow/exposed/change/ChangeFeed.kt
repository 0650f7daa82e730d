package dev.restflow.exposed.change

import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction
import org.slf4j.LoggerFactory
import java.util.concurrent.CopyOnWriteArrayList

/**
 * Where committed writes are published. Change capture is a global Exposed statement interceptor (registered
 * through `ServiceLoader`), so every write path — DSL `insert`/`batchInsert`/`update`/`deleteWhere`/`upsert`/
 * `replace` and DAO flushes — is seen; writes are buffered per transaction and published only after the outermost
 * commit. A rollback, of the whole transaction or of a nested one (savepoint), publishes nothing of what it undid.
 *
 * [subscribeBeforeCommit] sees the same writes just before the outermost commit, inside the transaction (for a
 * transactional outbox).
 *
 * Thread-safe. Capture costs nothing while nobody subscribes.
 */
public object ChangeFeed {
    private val log = LoggerFactory.getLogger(ChangeFeed::class.java)

    private class Entry(val database: Database?, val listener: ChangeListener, val raising: Boolean)

    private val listeners = CopyOnWriteArrayList<Entry>()
    private val beforeCommitListeners = CopyOnWriteArrayList<Pair<Database?, BeforeCommitListener>>()

    /**
     * Subscribes [listener] to the commits on [database] (every database when `null`). Close the returned handle
     * to unsubscribe.
     */
    @JvmStatic
    @JvmOverloads
    public fun subscribe(database: Database? = null, listener: ChangeListener): AutoCloseable =
        add(Entry(database, listener, raising = false))

    /**
     * Subscribes [listener] to the transactions on [database] (every database when `null`) that are about to
     * commit with buffered writes; it runs inside the transaction, so its own writes join it. Close the returned
     * handle to unsubscribe.
     */
    @JvmStatic
    @JvmOverloads
    public fun subscribeBeforeCommit(database: Database? = null, listener: BeforeCommitListener): AutoCloseable {
        val entry = database to listener
        beforeCommitListeners += entry
        return AutoCloseable { beforeCommitListeners.remove(entry) }
    }

    /** Like [subscribe], but an exception of [listener] reaches the committing caller once every listener ran. */
    internal fun subscribeRaising(database: Database?, listener: ChangeListener): AutoCloseable =
        add(Entry(database, listener, raising = true))

    private fun add(entry: Entry): AutoCloseable {
        listeners += entry
        return AutoCloseable { listeners.remove(entry) }
    }

    internal val active: Boolean get() = listeners.isNotEmpty() || beforeCommitListeners.isNotEmpty()

    internal val beforeCommitActive: Boolean get() = beforeCommitListeners.isNotEmpty()

    internal fun publishBeforeCommit(transaction: JdbcTransaction, changes: List<TableChange>) {
        if (changes.isEmpty()) return
        for ((db, listener) in beforeCommitListeners) {
            if (db != null && db !== transaction.db) continue
            listener.beforeCommit(transaction, changes)
        }
    }

    internal fun publish(database: Database, changes: List<TableChange>) {
        if (changes.isEmpty()) return
        var raised: Exception? = null
        for (entry in listeners) {
            if (entry.database != null && entry.database !== database) continue
            try {
                entry.listener.onCommit(database, changes)
            } catch (e: Exception) {
                if (entry.raising) {
                    if (raised == null) raised = e else raised.addSuppressed(e)
                } else {
                    log.error("A change listener failed after commit; other listeners still run", e)
                }
            }
        }
        if (raised != null) throw raised
    }
}
