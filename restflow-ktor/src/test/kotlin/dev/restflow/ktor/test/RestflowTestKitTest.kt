package dev.restflow.ktor.test

import dev.restflow.exposed.change.ChangeFeed
import dev.restflow.exposed.invalidation.invalidateOn
import dev.restflow.exposed.invalidation.invalidationRegistry
import dev.restflow.ktor.restflow
import io.ktor.client.call.body
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.minutes

class RestflowTestKitTest {
    private val db = TestKitFixture.newDatabase()

    @Test
    fun `obtainToken logs in through the app's obtain endpoint and withToken sends the access token`() = restflowTestApplication {
        // region tokens
        application { TestKitFixture.module(this, db) }
        val tokens = client.obtainToken("alice", "alice-pass")
        assertEquals("alice", client.withToken(tokens.access).get("/api/me").bodyAsText())
        assertEquals(HttpStatusCode.Unauthorized, client.get("/api/me").status)
        // endregion
        val wrong = assertFailsWith<AssertionError> { client.obtainToken("alice", "nope") }
        assertTrue("401" in wrong.message!!, wrong.message)
    }

    @Test
    fun `forceAuthenticate authenticates as any user without credentials, and a forged header is ignored`() = restflowTestApplication {
        application { TestKitFixture.module(this, db) }
        // region force-authenticate
        assertEquals("ghost", forceAuthenticate(TestKitFixture.ghost()).get("/api/me").bodyAsText())
        // endregion
        val forged = client.get("/api/me") { header("X-Restflow-Test-Principal", "guessed-secret.1") }
        assertEquals(HttpStatusCode.Unauthorized, forged.status)
    }

    @Test
    fun `the forced-principal header means nothing to an application started outside the test kit`() =
        io.ktor.server.testing.testApplication {
            application { TestKitFixture.module(this, db) }
            val response = client.get("/api/me") { header("X-Restflow-Test-Principal", "anything.1") }
            assertEquals(HttpStatusCode.Unauthorized, response.status)
        }

    @Test
    fun `the test clock drives the application's clock, so tokens expire without sleeping`() = restflowTestApplication {
        application { TestKitFixture.module(this, db) }
        // region test-clock
        val alice = client.withToken(client.obtainToken("alice", "alice-pass").access)
        assertSame(clock, application.restflow.clock)
        assertEquals(HttpStatusCode.OK, alice.get("/api/me").status)
        clock.advance(5.minutes + kotlin.time.Duration.parse("1s"))
        assertEquals(HttpStatusCode.Unauthorized, alice.get("/api/me").status)
        // endregion
    }

    @Test
    fun `a clock named in install(Restflow) wins over the test kit's`() {
        val own = TestClock(Instant.parse("2030-01-01T00:00:00Z"))
        restflowTestApplication {
            application {
                install(dev.restflow.ktor.Restflow) {
                    readApplicationConfig(false)
                    clock = own
                }
            }
            startApplication()
            assertSame(own, application.restflow.clock)
        }
    }

    @Test
    fun `cache assertions read X-Cache-Status, and cached responses expire with the test clock`() = restflowTestApplication {
        application { TestKitFixture.module(this, db) }
        // region cache-assertions
        client.get("/cached").assertCacheMiss()
        val hit = client.get("/cached").assertCacheHit()
        assertEquals("HIT", hit.cacheStatus)
        assertTrue("MISS" in assertFailsWith<AssertionError> { hit.assertCacheMiss() }.message!!)
        clock.advance(Duration.ofMinutes(2))
        client.get("/cached").assertCacheMiss()
        // endregion
        assertTrue("no X-Cache-Status" in assertFailsWith<AssertionError> { client.get("/notes/count").assertCacheHit() }.message!!)
    }

    @Test
    fun `captureQueries records the SQL that calls served by the application run`() = restflowTestApplication {
        application { TestKitFixture.module(this, db) }
        val body = client.get("/notes/count") // the first call starts the application outside the capture
        assertEquals(HttpStatusCode.OK, body.status)
        // region capture-queries
        val queries = captureQueries(db) { client.get("/notes/count").body<JsonObject>() }
        queries.assertCount(1)
        // endregion
        assertTrue(queries.statements.single().uppercase().startsWith("SELECT COUNT(*)"), queries.statements.toString())
        val failure = assertFailsWith<AssertionError> { queries.assertCount(2) }
        assertTrue("1. SELECT" in failure.message!!, failure.message)
        val other = TestKitFixture.newDatabase()
        assertEquals(0, captureQueries(other) { client.get("/notes/count") }.count, "only the named database counts")
    }

    @Test
    fun `awaitInvalidation returns once an asynchronous dispatcher has drained what the block's commits enqueued`() = restflowTestApplication {
        application { TestKitFixture.module(this, db) }
        // A stand-in for an asynchronous dispatcher: after each commit it evicts the cached responses on its own thread.
        val worker = Executors.newSingleThreadExecutor()
        val evictions = AtomicInteger()
        val gate = CompletableFuture<Unit>()
        val subscription = ChangeFeed.subscribe(db) { _, _ ->
            worker.execute {
                gate.join()
                runBlocking { application.restflow.cache.deleteNamespace("responses") }
                evictions.incrementAndGet()
            }
        }
        try {
            client.get("/cached").assertCacheMiss()
            client.get("/cached").assertCacheHit()
            // region await-invalidation
            val drain = Drainable { CompletableFuture.runAsync({}, worker) }
            awaitInvalidation(listOf(drain)) {
                transaction(db) { Notes.insert { it[text] = "new" } }
                assertEquals(0, evictions.get(), "the eviction waits for the gate")
                gate.complete(Unit)
            }
            assertEquals(1, evictions.get())
            // endregion
            client.get("/cached").assertCacheMiss()
        } finally {
            subscription.close()
            worker.shutdown()
        }
    }

    @Test
    fun `awaitInvalidation drains an invalidation registry's thread-pool dispatcher`() = restflowTestApplication {
        application { TestKitFixture.module(this, db) }
        val gate = CompletableFuture<Unit>()
        val evictions = AtomicInteger()
        val app = application
        val registry = invalidationRegistry(null, db) {
            threadPool(maxWorkers = 1)
            rule(invalidateOn(Notes, "notes->responses") {
                dispatcher = "threadpool"
                invalidator { _ ->
                    gate.join()
                    runBlocking { app.restflow.cache.deleteNamespace("responses") }
                    evictions.incrementAndGet()
                }
            })
        }
        registry.use {
            client.get("/cached").assertCacheMiss()
            client.get("/cached").assertCacheHit()
            awaitInvalidation(listOf(Drainable.of(registry))) {
                transaction(db) { Notes.insert { it[text] = "new" } }
                assertEquals(0, evictions.get(), "the eviction waits for the gate, on the pool's thread")
                gate.complete(Unit)
            }
            assertEquals(1, evictions.get())
            client.get("/cached").assertCacheMiss()
        }
    }

    @Test
    fun `awaitInvalidation fails when the dispatcher does not drain in time`() = runBlocking {
        val never = CompletableDeferred<Unit>()
        val failure = assertFailsWith<AssertionError> { awaitInvalidation({ never.await() }, Duration.ofMillis(50)) { } }
        assertTrue("did not drain" in failure.message!!)
        assertEquals(7, awaitInvalidation(listOf(Drainable.INLINE)) { 7 })
    }

    @Test
    fun `a test clock moves only when told`() {
        val clock = TestClock()
        assertEquals(TestClock.DEFAULT_START, clock.instant())
        assertEquals(TestClock.DEFAULT_START.plusSeconds(90), clock.advance(Duration.ofSeconds(90)))
        assertFailsWith<IllegalArgumentException> { clock.advance(Duration.ofSeconds(-1)) }
        clock.set(Instant.EPOCH)
        assertEquals(Instant.EPOCH, clock.withZone(java.time.ZoneId.of("Europe/Paris")).instant())
        assertEquals(0L, clock.millis())
    }
}
