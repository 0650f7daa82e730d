package dev.restflow.ktor.stream

import dev.restflow.ktor.serializer.ResponseSerializer
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.onCompletion
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import org.jetbrains.exposed.v1.core.ResultRow
import java.time.Duration
import java.util.function.Function
import java.util.stream.Stream

/**
 * Java twins of the streaming responses ([respondJsonArray], [respondNdjson], [respondSse]), for blocking handlers
 * such as `RestflowRoutes.handle(route, GET, path, javaCall -> …)`. Each call blocks until the response is complete.
 *
 * Rows come from `RowStreams.stream(database, fetchSize, () -> query)` (a server-side cursor); items from a
 * `java.util.stream.Stream`, pulled lazily on `Dispatchers.IO` and closed when the response ends (also when the
 * client disconnects). Failure midway, disconnects and the concurrent-stream cap behave as in the Kotlin functions.
 */
public object JavaStreams {
    /** Streams [rows] rendered by [serializer] as one JSON array. */
    @JvmStatic
    public fun respondJsonArray(call: ApplicationCall, rows: Flow<ResultRow>, serializer: ResponseSerializer) {
        runBlocking { call.respondJsonArray(rows, serializer, HttpStatusCode.OK) }
    }

    /** Streams [rows] rendered by [serializer] as NDJSON. */
    @JvmStatic
    public fun respondNdjson(call: ApplicationCall, rows: Flow<ResultRow>, serializer: ResponseSerializer) {
        runBlocking { call.respondNdjson(rows, serializer, HttpStatusCode.OK) }
    }

    /** Streams [items], each a JSON text (parsed, so invalid JSON fails the stream), as one JSON array. */
    @JvmStatic
    public fun respondJsonArray(call: ApplicationCall, items: Stream<String>) {
        runBlocking { call.respondJsonArray(jsonFlow(items), HttpStatusCode.OK) }
    }

    /** Streams [items], each a JSON text, as NDJSON. */
    @JvmStatic
    public fun respondNdjson(call: ApplicationCall, items: Stream<String>) {
        runBlocking { call.respondNdjson(jsonFlow(items), HttpStatusCode.OK) }
    }

    /**
     * Answers Server-Sent Events from the stream [events] returns for the client's `Last-Event-ID` (or `null`), with a
     * heartbeat comment after [heartbeat] of silence.
     */
    @JvmStatic
    @JvmOverloads
    public fun respondSse(call: ApplicationCall, events: Function<String?, Stream<SseEvent>>, heartbeat: Duration = Duration.ofSeconds(15)) {
        runBlocking { call.respondSse(heartbeat) { last -> lazyFlow(events.apply(last)) } }
    }

    private fun jsonFlow(items: Stream<String>): Flow<JsonElement> = lazyFlow(items).map { Json.parseToJsonElement(it) }

    private fun <T : Any> lazyFlow(items: Stream<T>): Flow<T> =
        items.iterator().asFlow().onCompletion { items.close() }.flowOn(Dispatchers.IO)
}
