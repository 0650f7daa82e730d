package dev.restflow.sample.events

import dev.restflow.sample.SeededShopContract
import dev.restflow.ktor.test.obtainToken
import dev.restflow.ktor.test.restflowTestApplication
import dev.restflow.ktor.test.withToken
import dev.restflow.sample.SampleConfig
import dev.restflow.sample.catalog.Products
import dev.restflow.sample.shopModule
import dev.restflow.testing.TestServices
import io.ktor.client.request.delete
import io.ktor.client.request.header
import io.ktor.client.request.patch
import io.ktor.client.request.post
import io.ktor.client.request.prepareGet
import io.ktor.client.request.setBody
import io.ktor.client.statement.bodyAsChannel
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.contentType
import io.ktor.utils.io.ByteReadChannel
import io.ktor.utils.io.readUTF8Line
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.nio.file.Files
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * SAMPLE_API.md's `GET /api/events`: one SSE event per committed product change, none for a rollback; a client that
 * stops reading is dropped once its bounded buffer is full, without delaying the others (issue 8).
 */
abstract class ProductEventsContract : SeededShopContract() {
    /** The next event block (`id`, `event`, `data` lines up to a blank line), skipping heartbeat comments. */
    private suspend fun ByteReadChannel.nextEvent(): Map<String, String> {
        val fields = LinkedHashMap<String, String>()
        while (true) {
            val line = readUTF8Line() ?: error("the stream ended; got $fields")
            if (line.isEmpty()) {
                if (fields.isEmpty()) continue
                return fields
            }
            if (line.startsWith(":")) continue
            fields[line.substringBefore(": ")] = line.substringAfter(": ")
        }
    }

    @Test
    fun `a create, an update and a delete through the API each send one event, and a rolled-back write sends none`() = restflowTestApplication {
        application { shopModule(config, database) }
        val alice = client.withToken(client.obtainToken("alice", "alice-pass").access)
        val admin = client.withToken(client.obtainToken("admin", "admin-pass").access)
        val hub = application.productEvents
        client.prepareGet("/api/events").execute { stream ->
            assertEquals(HttpStatusCode.OK, stream.status)
            assertEquals("text/event-stream", stream.headers[HttpHeaders.ContentType]?.substringBefore(';'))
            val events = stream.bodyAsChannel()
            withTimeout(30_000) { while (hub.connectionCount == 0) delay(10) } // the stream is subscribed

            val created = alice.post("/api/products") {
                contentType(ContentType.Application.Json)
                setBody("""{"name":"Kite","price":"9.50","stock":2,"category":1}""")
            }
            assertEquals(HttpStatusCode.Created, created.status, created.bodyAsText())
            val id = Json.parseToJsonElement(created.bodyAsText()).jsonObject.getValue("id").jsonPrimitive.content.toInt()
            val patched = alice.patch("/api/products/$id") { contentType(ContentType.Application.Json); setBody("""{"stock":5}""") }
            assertEquals(HttpStatusCode.OK, patched.status, patched.bodyAsText())
            transaction(database.db) {
                Products.update({ Products.id eq id }) { it[stock] = 99 }
                rollback()
            }
            assertEquals(HttpStatusCode.NoContent, admin.delete("/api/products/$id").status)

            val seen = List(3) { withTimeout(30_000) { events.nextEvent() } }
            assertEquals(listOf("product.created", "product.updated", "product.deleted"), seen.map { it.getValue("event") })
            seen.forEach { assertEquals("""{"id":$id}""", it.getValue("data")) }
            val ids = seen.map { it.getValue("id") }
            assertEquals(ids.distinct(), ids)
        }
    }

    @Test
    fun `a reconnecting client is replayed the events after its Last-Event-ID`() = restflowTestApplication {
        application { shopModule(config, database) }
        val alice = client.withToken(client.obtainToken("alice", "alice-pass").access)
        val hub = application.productEvents
        var firstId = ""
        client.prepareGet("/api/events").execute { stream ->
            val events = stream.bodyAsChannel()
            withTimeout(30_000) { while (hub.connectionCount == 0) delay(10) }
            repeat(2) { i ->
                val r = alice.post("/api/products") { contentType(ContentType.Application.Json); setBody("""{"name":"Replay $i","price":"1.00","stock":1,"category":1}""") }
                assertEquals(HttpStatusCode.Created, r.status, r.bodyAsText())
            }
            firstId = withTimeout(30_000) { events.nextEvent() }.getValue("id")
        }
        client.prepareGet("/api/events") { header("Last-Event-ID", firstId) }.execute { stream ->
            val replayed = withTimeout(30_000) { stream.bodyAsChannel().nextEvent() }
            assertEquals("product.created", replayed.getValue("event"))
            assertEquals(firstId.substringBeforeLast('-') + "-" + (firstId.substringAfterLast('-').toLong() + 1), replayed.getValue("id"))
        }
    }

    @Test
    fun `a client that stops reading is dropped after its bounded buffer and never delays the others`() {
        val bufferSize = 8
        val commits = 40
        val id = transaction(database.db) { Products.selectAll().orderBy(Products.id).first()[Products.id].value }
        ProductEventHub(database.db, bufferSize = bufferSize, replaySize = 16).use { hub ->
            runBlocking {
                val gate = CompletableDeferred<Unit>()
                val slowSeen = ArrayList<ProductEvent>()
                // the slow client takes one event, then stops reading until the gate opens
                val slow = async(Dispatchers.Default) {
                    runCatching { hub.events(null).collect { slowSeen += it; gate.await() } }.exceptionOrNull()
                }
                val fastSeen = Channel<ProductEvent>(Channel.UNLIMITED)
                val fast = launch(Dispatchers.Default) { hub.events(null).collect { fastSeen.send(it) } }
                withTimeout(30_000) { while (hub.connectionCount < 2) delay(10) } // both are subscribed

                // one commit at a time; the fast client gets each event before the next commit, whatever the slow one does
                val received = ArrayList<ProductEvent>()
                repeat(commits) { i ->
                    transaction(database.db) { Products.update({ Products.id eq id }) { it[stock] = 1_000 + i } }
                    received += withTimeout(30_000) { fastSeen.receive() }
                }
                assertEquals(List(commits) { ProductEvent.UPDATED }, received.map { it.type })
                assertEquals(received.map { it.sequence }.sorted(), received.map { it.sequence })
                assertEquals(commits, received.map { it.sequence }.distinct().size)

                // the slow client fell more than bufferSize behind: it was dropped, holding at most what its buffer held
                gate.complete(Unit)
                val failure = withTimeout(30_000) { slow.await() }
                assertTrue(failure is SlowClientException, "the slow stream ends with SlowClientException, got $failure")
                assertTrue(slowSeen.size <= bufferSize + 1, "the slow client held at most ${bufferSize + 1} events, got ${slowSeen.size}")
                assertEquals(received.take(slowSeen.size), slowSeen, "what it got is the start of the feed, in order")
                assertEquals(1, hub.connectionCount, "the slow connection is unregistered, the fast one stays")
                fast.cancelAndJoin()
            }
        }
    }
}

class H2ProductEventsTest : ProductEventsContract() {
    override fun environment(): Map<String, String> =
        mapOf("DATABASE_URL" to SampleConfig.defaultH2Url(Files.createTempDirectory("events").resolve("shop")))
}

class PostgresProductEventsTest : ProductEventsContract() {
    override fun environment(): Map<String, String> {
        val pg = TestServices.newPostgresDatabase()
        return mapOf("DATABASE_URL" to pg.jdbcUrl, "DATABASE_USER" to pg.user, "DATABASE_PASSWORD" to pg.password)
    }
}
