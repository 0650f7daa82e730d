package dev.restflow.ktor.stream

import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.error.ErrorCodes
import dev.restflow.ktor.error.ErrorEnvelope
import dev.restflow.ktor.request.requestIdOrNull
import dev.restflow.ktor.restflow
import dev.restflow.ktor.serializer.ResponseSerializer
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.withCharset
import io.ktor.server.application.ApplicationCall
import io.ktor.server.response.header
import io.ktor.server.response.respondBytesWriter
import io.ktor.utils.io.ByteWriteChannel
import io.ktor.utils.io.writeStringUtf8
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.exposed.v1.core.ResultRow
import org.slf4j.LoggerFactory
import java.time.Duration

private val LOG = LoggerFactory.getLogger("dev.restflow.ktor.stream.StreamResponses")

/** `application/x-ndjson`, the NDJSON media type. */
public val NdjsonContentType: ContentType = ContentType("application", "x-ndjson")

/**
 * Streams [items] as one JSON array (`[`, items joined by `,`, `]`) without holding them in memory.
 *
 * Items are written as they are produced. If producing fails midway, the response is aborted before the closing
 * `]`, so a client never mistakes a partial result for a complete array; the failure is logged. A client that
 * disconnects cancels the producer. At most `restflow.request.max-concurrent-streams` streams run at once; one more
 * is answered 503 before anything is written.
 */
public suspend fun ApplicationCall.respondJsonArray(items: Flow<JsonElement>, status: HttpStatusCode = HttpStatusCode.OK) {
    streamJsonArray(items, chunk = 0, status) { item, text -> text.append(item.toString()) }
}

/**
 * Streams [rows] rendered by [serializer] as one JSON array (the rules of the `Flow<JsonElement>` form). Rows are
 * written straight into text ([ResponseSerializer.writeTo]) and handed to the connection in chunks of about
 * [STREAM_CHUNK] characters, and at the end.
 */
public suspend fun ApplicationCall.respondJsonArray(rows: Flow<ResultRow>, serializer: ResponseSerializer, status: HttpStatusCode = HttpStatusCode.OK) {
    streamJsonArray(rows, STREAM_CHUNK, status) { row, text -> serializer.writeTo(row, text) }
}

/**
 * The JSON array stream: each item appended to one text buffer by [write], handed to the connection once it holds
 * [chunk] characters (0: after every item) and at the end; a failure leaves the array without its `]`.
 */
private suspend fun <T> ApplicationCall.streamJsonArray(
    items: Flow<T>, chunk: Int, status: HttpStatusCode, write: (T, StringBuilder) -> Unit,
) {
    withStreamPermit {
        respondBytesWriter(ContentType.Application.Json.withCharset(Charsets.UTF_8), status) {
            val text = StringBuilder(2 * STREAM_CHUNK).append('[')
            var first = true
            try {
                items.collect { item ->
                    if (!first) text.append(',')
                    first = false
                    write(item, text)
                    if (text.length >= chunk) writeChunk(text)
                }
            } catch (e: CancellationException) {
                throw e
            } catch (e: Throwable) {
                LOG.error("A streamed JSON array failed midway (request id {}); the response is left incomplete", requestIdOrNull, e)
                writeChunk(text)
                throw e
            }
            writeChunk(text.append(']'))
        }
    }
}

/**
 * Streams [items] as NDJSON (`application/x-ndjson`): one JSON value and `\n` per item, each flushed as written.
 * If producing fails midway the stream ends with one error line in the error envelope,
 * `{"error":{"code":"internal_error",…,"details":{"correlation_id":…}}}`, so a client can tell.
 */
public suspend fun ApplicationCall.respondNdjson(items: Flow<JsonElement>, status: HttpStatusCode = HttpStatusCode.OK) {
    streamNdjson(items, chunk = 0, status) { item, text -> text.append(item.toString()) }
}

/**
 * Streams [rows] rendered by [serializer] as NDJSON (the rules of the `Flow<JsonElement>` form), written straight into
 * text and handed to the connection in chunks of about [STREAM_CHUNK] characters, and at the end.
 */
public suspend fun ApplicationCall.respondNdjson(rows: Flow<ResultRow>, serializer: ResponseSerializer, status: HttpStatusCode = HttpStatusCode.OK) {
    streamNdjson(rows, STREAM_CHUNK, status) { row, text -> serializer.writeTo(row, text) }
}

/**
 * The NDJSON stream: each item appended to one text buffer by [write] and a `\n`, handed to the connection once it
 * holds [chunk] characters (0: after every item) and at the end; a failure ends it with one error line.
 */
private suspend fun <T> ApplicationCall.streamNdjson(items: Flow<T>, chunk: Int, status: HttpStatusCode, write: (T, StringBuilder) -> Unit) {
    withStreamPermit {
        respondBytesWriter(NdjsonContentType, status) {
            val text = StringBuilder(2 * STREAM_CHUNK)
            try {
                items.collect { item ->
                    write(item, text)
                    text.append('\n')
                    if (text.length >= chunk) writeChunk(text)
                }
            } catch (e: CancellationException) {
                throw e
            } catch (e: Throwable) {
                LOG.error("A streamed NDJSON response failed midway (request id {})", requestIdOrNull, e)
                text.append(streamFailure().toJson()).append('\n')
            }
            writeChunk(text)
        }
    }
}

/** About how many characters of rendered rows a row stream collects before handing them to the connection. */
private const val STREAM_CHUNK = 8192

/** Writes [text] to the channel and empties it. */
private suspend fun ByteWriteChannel.writeChunk(text: StringBuilder) {
    if (text.isEmpty()) return
    writeStringUtf8(text.toString())
    text.setLength(0)
}

/**
 * Answers with Server-Sent Events (`text/event-stream`, `Cache-Control: no-cache`, `X-Accel-Buffering: no`) from the
 * flow [events] returns; it receives the `Last-Event-ID` a reconnecting client sent (or `null`). Each event is flushed
 * as written; when nothing was sent for [heartbeat], a comment line `: ping` keeps proxies from closing the
 * connection. A failure of the producer ends the stream with `event: error` whose data is the error envelope.
 */
public suspend fun ApplicationCall.respondSse(
    heartbeat: Duration = Duration.ofSeconds(15),
    events: (lastEventId: String?) -> Flow<SseEvent>,
) {
    require(!heartbeat.isNegative && !heartbeat.isZero) { "heartbeat must be positive" }
    val lastEventId = request.headers["Last-Event-ID"]?.takeIf { id -> id.length <= 256 && id.none { it == '\n' || it == '\r' } }
    val flow = events(lastEventId)
    withStreamPermit {
        response.header(HttpHeaders.CacheControl, "no-cache")
        response.header("X-Accel-Buffering", "no")
        respondBytesWriter(ContentType.Text.EventStream) {
            coroutineScope {
                val queue = Channel<Any>(capacity = 64)
                val producer = launch {
                    flow.catch { e -> queue.send(StreamFailed(e)) }.collect { queue.send(it) }
                    queue.close()
                }
                while (true) {
                    val next = withTimeoutOrNull(heartbeat.toMillis()) { queue.receiveCatching() }
                    if (next == null) {
                        writeAndFlush(": ping\n\n")
                        continue
                    }
                    val value = next.getOrNull() ?: break
                    if (value is StreamFailed) {
                        LOG.error("An SSE stream failed (request id {})", requestIdOrNull, value.cause)
                        writeAndFlush(SseEvent(streamFailure().toJson(), event = "error").encode())
                        producer.cancel()
                        break
                    }
                    writeAndFlush((value as SseEvent).encode())
                }
            }
        }
    }
}

/** Answers Server-Sent Events of plain strings: each item is one `data:` event. */
public suspend fun ApplicationCall.respondSseData(heartbeat: Duration = Duration.ofSeconds(15), items: (lastEventId: String?) -> Flow<String>) {
    respondSse(heartbeat) { last -> items(last).map { SseEvent(it) } }
}

private class StreamFailed(val cause: Throwable)

private suspend fun ByteWriteChannel.writeAndFlush(text: String) {
    writeStringUtf8(text)
    flush()
}

private fun ApplicationCall.streamFailure(): ErrorEnvelope = ErrorEnvelope(
    ErrorCodes.INTERNAL_ERROR, "Internal server error.",
    JsonObject(mapOf("correlation_id" to JsonPrimitive(requestIdOrNull ?: "unknown"))),
)

/** Holds one of the application's stream permits while [block] runs; 503 when none is free. */
private suspend fun ApplicationCall.withStreamPermit(block: suspend () -> Unit) {
    val permits = application.restflow.streamPermits
    if (!permits.tryAcquire()) {
        throw ApiException.serviceUnavailable("Too many streams are open, try again later.", retryAfterSeconds = 1)
    }
    try {
        block()
    } finally {
        permits.release()
    }
}
