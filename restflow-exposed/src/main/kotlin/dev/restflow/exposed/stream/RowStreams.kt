package dev.restflow.exposed.stream

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.channelFlow
import kotlinx.coroutines.flow.flowOn
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.Query
import org.jetbrains.exposed.v1.jdbc.transactions.suspendTransaction

/**
 * Streams the rows of a query through a server-side cursor, so memory stays flat however many rows match.
 *
 * Each collection opens its own transaction on [database] (Exposed's default when `null`) — autocommit is off inside
 * it, and with a positive fetch size PostgreSQL's driver reads [fetchSize] rows per round trip instead of the whole
 * result — and runs on [dispatcher]. The flow is cold: nothing runs until it is collected. Cancelling the collector
 * (a client that disconnects) stops reading after the current batch, rolls the transaction back and returns the
 * connection to its pool; a database error fails the flow with the driver's exception.
 */
public object RowStreams {
    /** The default number of rows fetched per round trip. */
    public const val DEFAULT_FETCH_SIZE: Int = 500

    private const val MAX_BUFFER = 1_000

    /** The rows of the query [build] returns (built inside the streaming transaction), as a cold [Flow]. */
    @JvmStatic
    @JvmOverloads
    public fun stream(
        database: Database? = null,
        fetchSize: Int = DEFAULT_FETCH_SIZE,
        dispatcher: CoroutineDispatcher = Dispatchers.IO,
        build: () -> Query,
    ): Flow<ResultRow> {
        require(fetchSize > 0) { "fetchSize must be positive, got $fetchSize" }
        // channelFlow, not flow: the rows are produced inside the transaction's coroutine context.
        return channelFlow {
            suspendTransaction(database) {
                val rows = build().fetchSize(fetchSize).iterator()
                while (rows.hasNext()) send(rows.next())
            }
        }.buffer(fetchSize.coerceAtMost(MAX_BUFFER)).flowOn(dispatcher)
    }
}

/**
 * `streamRows(fetchSize = 1000) { Products.selectAll().where { … } }`: see [RowStreams.stream]. The query is built
 * inside the streaming transaction, so filters that read the database work.
 */
public fun streamRows(
    database: Database? = null,
    fetchSize: Int = RowStreams.DEFAULT_FETCH_SIZE,
    build: () -> Query,
): Flow<ResultRow> = RowStreams.stream(database, fetchSize, Dispatchers.IO, build)
