package dev.restflow.ktor.stream

import dev.restflow.exposed.stream.streamRows
import dev.restflow.ktor.Restflow
import dev.restflow.ktor.serializer.serializer
import dev.restflow.ktor.view.Books
import dev.restflow.ktor.view.Shelves
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.request.prepareGet
import io.ktor.client.statement.bodyAsChannel
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import io.ktor.utils.io.readUTF8Line
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.runBlocking
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import kotlinx.coroutines.flow.emptyFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOf
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.exposed.v1.core.greater
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.insertAndGetId
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.math.BigDecimal
import java.time.Duration
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

class StreamResponsesTest {
    private val db = Database.connect("jdbc:h2:mem:streams-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also {
        transaction(it) {
            SchemaUtils.create(Shelves, Books)
            val shelf = Shelves.insertAndGetId { row -> row[name] = "fiction" }
            (1..5).forEach { i ->
                Books.insert { row -> row[title] = "Book $i"; row[price] = BigDecimal("$i.5"); row[stock] = i; row[Books.shelf] = shelf }
            }
        }
    }
    private val books = serializer(Books) { fields(Books.id, Books.price) }

    private fun failing(after: Int) = flow {
        repeat(after) { emit(JsonPrimitive(it)) }
        throw IllegalStateException("database went away")
    }

    @Test
    fun `rows stream as a JSON array with column-typed values, and an empty result is an empty array`() = testApplication {
        application {
            install(Restflow)
            routing {
                get("/all") { call.respondJsonArray(streamRows(db, fetchSize = 2) { Books.selectAll().orderBy(Books.id) }, books) }
                get("/none") { call.respondJsonArray(streamRows(db) { Books.selectAll().where { Books.stock greater 99 } }, books) }
            }
        }
        val all = client.get("/all")
        assertEquals("application/json; charset=UTF-8", all.headers[HttpHeaders.ContentType])
        val rows = Json.parseToJsonElement(all.bodyAsText()).jsonArray
        assertEquals(5, rows.size)
        assertEquals("""{"id":1,"price":"1.50"}""", rows[0].toString())
        assertEquals("[]", client.get("/none").bodyAsText())
    }

    @Test
    fun `NDJSON writes one value per line and ends a failed stream with an error record`() = testApplication {
        application {
            install(Restflow)
            routing {
                // region ndjson-rows
                get("/rows") { call.respondNdjson(streamRows(db) { Books.selectAll().orderBy(Books.id) }, books) }
                // endregion
                get("/broken") { call.respondNdjson(failing(2)) }
            }
        }
        val ok = client.get("/rows")
        assertEquals("application/x-ndjson", ok.headers[HttpHeaders.ContentType])
        val lines = ok.bodyAsText().split("\n")
        assertEquals(6, lines.size, "five lines and the empty piece after the last newline")
        assertEquals("""{"id":5,"price":"5.50"}""", lines[4])
        val broken = client.get("/broken") { header("X-Request-Id", "req-1") }.bodyAsText().trimEnd().split("\n")
        assertEquals(listOf("0", "1"), broken.take(2))
        val error = Json.parseToJsonElement(broken[2]).jsonObject.getValue("error").jsonObject
        assertEquals("internal_error", error.getValue("code").jsonPrimitive.content)
        assertEquals("req-1", error.getValue("details").jsonObject.getValue("correlation_id").jsonPrimitive.content)
    }

    @Test
    fun `every stream form answers the status it is given`() = testApplication {
        application {
            install(Restflow)
            routing {
                get("/array") { call.respondJsonArray(kotlinx.coroutines.flow.flowOf(JsonPrimitive(1)), HttpStatusCode.Accepted) }
                get("/array-rows") { call.respondJsonArray(streamRows(db) { Books.selectAll() }, books, HttpStatusCode.Accepted) }
                get("/ndjson") { call.respondNdjson(kotlinx.coroutines.flow.flowOf(JsonPrimitive(1)), HttpStatusCode.Accepted) }
                get("/ndjson-rows") { call.respondNdjson(streamRows(db) { Books.selectAll() }, books, HttpStatusCode.Accepted) }
            }
        }
        for (path in listOf("/array", "/array-rows", "/ndjson", "/ndjson-rows")) {
            assertEquals(HttpStatusCode.Accepted, client.get(path).status, path)
        }
    }

    @Test
    fun `a JSON array that fails midway is never a complete-looking array (R-41)`() = testApplication {
        application {
            install(Restflow)
            routing { get("/broken") { call.respondJsonArray(failing(3)) } }
        }
        val outcome = runCatching { client.get("/broken").bodyAsText() }
        outcome.onSuccess { body ->
            assertTrue(body.startsWith("[0,1,2"), body)
            assertFalse(body.trimEnd().endsWith("]"), "a failed stream must not look complete: $body")
        }
    }

    @Test
    fun `SSE frames events with id, event, retry and one data line per line`() = testApplication {
        application {
            install(Restflow)
            routing {
                // region sse
                get("/plain") { call.respondSseData { flowOf("hello", "world") } }
                get("/events") {
                    call.respondSse { last ->
                        flowOf(SseEvent("line one\r\nline two\rthree", event = "product.updated", id = "7", retry = 3000), SseEvent("since ${last ?: "start"}"))
                    }
                }
                // endregion
                get("/broken") { call.respondSse { flow { emit(SseEvent("first")); throw IllegalStateException("gone") } } }
            }
        }
        val plain = client.get("/plain")
        assertEquals("text/event-stream", plain.headers[HttpHeaders.ContentType]?.substringBefore(';'))
        assertEquals("no-cache", plain.headers[HttpHeaders.CacheControl])
        assertEquals("no", plain.headers["X-Accel-Buffering"])
        assertEquals("data: hello\n\ndata: world\n\n", plain.bodyAsText())
        assertEquals(
            "id: 7\nevent: product.updated\nretry: 3000\ndata: line one\ndata: line two\ndata: three\n\ndata: since 41\n\n",
            client.get("/events") { header("Last-Event-ID", "41") }.bodyAsText(),
        )
        val broken = client.get("/broken").bodyAsText()
        assertTrue(broken.startsWith("data: first\n\nevent: error\ndata: {\"error\":{\"code\":\"internal_error\""), broken)
    }

    @Test
    fun `an id or event name with a line break is rejected`() {
        assertFailsWith<IllegalArgumentException> { SseEvent("x", id = "1\nevent: forged") }
        assertFailsWith<IllegalArgumentException> { SseEvent("x", event = "a\rb") }
    }

    @Test
    fun `idle SSE streams send heartbeat comments`() = testApplication {
        val done = CompletableDeferred<Unit>()
        application {
            install(Restflow)
            routing {
                get("/quiet") {
                    call.respondSse(heartbeat = Duration.ofMillis(20)) { flow { done.await(); emit(SseEvent("bye")) } }
                }
            }
        }
        client.prepareGet("/quiet").execute { response ->
            val channel = response.bodyAsChannel()
            assertEquals(": ping", channel.readUTF8Line())
            done.complete(Unit)
            val rest = generateSequence { null as String? }.toMutableList()
            while (true) rest += channel.readUTF8Line() ?: break
            assertTrue("data: bye" in rest, rest.toString())
        }
    }

    @Test
    fun `streams above the configured cap are refused with 503 before anything is written (R-22)`() {
        val started = CompletableDeferred<Unit>()
        val release = CompletableDeferred<Unit>()
        val port = java.net.ServerSocket(0).use { it.localPort }
        val server = embeddedServer(Netty, port = port, host = "127.0.0.1") {
            install(Restflow) { settings { request { maxConcurrentStreams = 1 } } }
            routing {
                get("/hold") { call.respondNdjson(flow { started.complete(Unit); release.await(); emit(JsonPrimitive(1)) }) }
            }
        }.start(wait = false)
        try {
            val http = java.net.http.HttpClient.newHttpClient()
            val request = java.net.http.HttpRequest.newBuilder(java.net.URI("http://127.0.0.1:$port/hold")).build()
            val first = http.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString())
            runBlocking { started.await() }
            val second = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
            assertEquals(503, second.statusCode())
            assertEquals("1", second.headers().firstValue(HttpHeaders.RetryAfter).orElse(null))
            release.complete(Unit)
            assertEquals("1\n", first.get().body())
            assertEquals(200, http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode(), "the permit is released when a stream ends")
        } finally {
            server.stop(0, 2_000)
        }
    }
}
