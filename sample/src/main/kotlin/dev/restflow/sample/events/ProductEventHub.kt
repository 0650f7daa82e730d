package dev.restflow.sample.events

import dev.restflow.exposed.change.ChangeFeed
import dev.restflow.exposed.change.ChangeKind
import dev.restflow.exposed.change.TableChange
import dev.restflow.sample.catalog.Products
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import org.jetbrains.exposed.v1.jdbc.Database
import java.security.SecureRandom
import java.util.concurrent.CopyOnWriteArrayList

/**
 * Turns the committed product writes on [database] into [ProductEvent]s and fans them out to every open
 * `/api/events` connection.
 *
 * - One [ChangeFeed] subscription per application; events exist only for committed transactions (a rollback
 *   publishes nothing). The listener runs on the committing thread and never blocks it: it only `trySend`s.
 * - Each connection gets its own bounded buffer of [bufferSize] events. A client that falls that far behind is
 *   disconnected (its stream ends with `event: error`) rather than silently losing events: an `EventSource`
 *   reconnects by itself, sending `Last-Event-ID`, and is replayed what it missed from the last [replaySize] events.
 * - Event ids are `<boot>-<sequence>`, `boot` being random per process: a `Last-Event-ID` from another instance or an
 *   earlier run is ignored (the stream starts with new events only), as is one older than the replay window.
 * - A write whose rows the change feed cannot pin (a bulk `update` without `where id = …`) has no product id and
 *   sends no event.
 */
class ProductEventHub(
    database: Database,
    private val bufferSize: Int = 256,
    private val replaySize: Int = 1_000,
) : AutoCloseable {
    /** The prefix of this process's event ids. */
    val boot: String = ByteArray(6).also { SecureRandom().nextBytes(it) }.joinToString("") { "%02x".format(it) }

    private val lock = Any()
    private var sequence = 0L
    private val recent = ArrayDeque<ProductEvent>()
    private val connections = CopyOnWriteArrayList<Channel<ProductEvent>>()
    private val subscription = ChangeFeed.subscribe(database) { _, changes -> publish(changes) }

    private fun publish(changes: List<TableChange>) {
        for (change in changes) {
            if (change.table != Products) continue
            val type = when (change.kind) {
                ChangeKind.INSERT -> ProductEvent.CREATED
                ChangeKind.UPDATE, ChangeKind.UPSERT -> ProductEvent.UPDATED
                ChangeKind.DELETE -> ProductEvent.DELETED
            }
            for (row in change.rows) {
                val id = (row[Products.id] as? Number)?.toLong() ?: continue
                synchronized(lock) {
                    val event = ProductEvent(++sequence, type, id)
                    recent.addLast(event)
                    if (recent.size > replaySize) recent.removeFirst()
                    for (connection in connections) {
                        if (connection.trySend(event).isFailure) connection.close(SlowClientException(bufferSize))
                    }
                }
            }
        }
    }

    /**
     * The events of one connection: those after [lastEventId] still in the replay window, then every new one. The
     * connection is registered and the replay taken under one lock, so no event is missed or sent twice. Cold: each
     * collection is a connection of its own, unregistered when collection ends (the client disconnects).
     */
    fun events(lastEventId: String?): Flow<ProductEvent> = flow {
        val channel = Channel<ProductEvent>(bufferSize)
        val replay = synchronized(lock) {
            connections += channel
            val after = lastEventId?.takeIf { it.startsWith("$boot-") }?.removePrefix("$boot-")?.toLongOrNull()
            if (after == null) emptyList() else recent.filter { it.sequence > after }
        }
        try {
            replay.forEach { emit(it) }
            for (event in channel) if (replay.isEmpty() || event.sequence > replay.last().sequence) emit(event)
        } finally {
            connections -= channel
            channel.cancel()
        }
    }

    /** How many connections are open (for tests and metrics). */
    val connectionCount: Int get() = connections.size

    override fun close() {
        subscription.close()
        connections.forEach { it.close() }
    }
}

/** Ends the stream of a client that fell [bufferSize] events behind. */
class SlowClientException(bufferSize: Int) : IllegalStateException("The client fell $bufferSize events behind and was disconnected")
