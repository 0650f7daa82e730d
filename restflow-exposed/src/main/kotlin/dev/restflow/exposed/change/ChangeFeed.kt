package dev.restflow.exposed.change

import org.jetbrains.exposed.v1.jdbc.Database
import org.slf4j.LoggerFactory
import java.util.concurrent.CopyOnWriteArrayList

/**
 * Where committed writes are published. Change capture is a global Exposed statement interceptor (registered
 * through `ServiceLoader`), so every write path — DSL `insert`/`batchInsert`/`update`/`deleteWhere`/`upsert`/
 * `replace` and DAO flushes — is seen; writes are buffered per transaction and published only after the outermost
 * commit. A rollback, of the whole transaction or of a nested one (savepoint), publishes nothing of what it undid.
 *
 * Thread-safe. Capture costs nothing while nobody subscribes.
 */
public object ChangeFeed {
    private val log = LoggerFactory.getLogger(ChangeFeed::class.java)
    private val listeners = CopyOnWriteArrayList<Pair<Database?, ChangeListener>>()

    /**
     * Subscribes [listener] to the commits on [database] (every database when `null`). Close the returned handle
     * to unsubscribe.
     */
    @JvmStatic
    @JvmOverloads
    public fun subscribe(database: Database? = null, listener: ChangeListener): AutoCloseable {
        val entry = database to listener
        listeners += entry
        return AutoCloseable { listeners.remove(entry) }
    }

    internal val active: Boolean get() = listeners.isNotEmpty()

    internal fun publish(database: Database, changes: List<TableChange>) {
        if (changes.isEmpty()) return
        for ((db, listener) in listeners) {
            if (db != null && db !== database) continue
            try {
                listener.onCommit(database, changes)
            } catch (e: Exception) {
                log.error("A change listener failed after commit; other listeners still run", e)
            }
        }
    }
}
