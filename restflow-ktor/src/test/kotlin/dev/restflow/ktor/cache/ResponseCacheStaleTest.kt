package dev.restflow.ktor.cache

import dev.restflow.cache.key.cacheKey
import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.jwt.MutableClock
import dev.restflow.testing.TestServices
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.http.HttpHeaders
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.runBlocking
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.time.Instant
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotEquals
import kotlin.test.assertNull

/**
 * Stale-while-revalidate, metrics and outages of the response cache over a real server (Netty), where two calls
 * really run at once: one refreshes a stale entry while another is served the stale copy.
 */
class ResponseCacheStaleTest {
    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    private fun get(port: Int, path: String): HttpResponse<String> =
        http.send(HttpRequest.newBuilder(URI("http://127.0.0.1:$port$path")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString())

    private fun status(r: HttpResponse<String>): String? = r.headers().firstValue("X-Cache-Status").orElse(null)

    @Test
    fun `past its ttl an entry is served STALE while one caller refreshes it, then HIT again`() {
        val clock = MutableClock(Instant.parse("2026-01-01T00:00:00Z"))
        val registry = SimpleMeterRegistry()
        val calls = AtomicInteger()
        val refreshing = CompletableDeferred<Unit>()
        val release = CompletableDeferred<Unit>()
        val port = java.net.ServerSocket(0).use { it.localPort }
        val server = embeddedServer(Netty, port = port, host = "127.0.0.1") {
            install(Restflow) { this.clock = clock }
            routing {
                route("/products/{id}") {
                    // region stale-while-revalidate
                    install(ResponseCache) {
                        ttl = Duration.ofSeconds(60)
                        staleFor = Duration.ofSeconds(60) // then STALE for everyone but the one refreshing caller
                        namespace = "products"
                        meterRegistry = registry          // restflow.response_cache.requests{namespace,status}
                    }
                    // endregion
                    get {
                        val n = calls.incrementAndGet()
                        if (n == 2) {
                            refreshing.complete(Unit)
                            release.await()
                        }
                        call.respondText("""{"n":$n}""")
                    }
                }
            }
        }.start(wait = false)
        try {
            assertEquals("MISS", status(get(port, "/products/1")))
            assertEquals("HIT", status(get(port, "/products/1")).also { assertEquals(1, calls.get()) })

            clock.now = clock.now.plusSeconds(61)
            val refresh = http.sendAsync(
                HttpRequest.newBuilder(URI("http://127.0.0.1:$port/products/1")).build(), HttpResponse.BodyHandlers.ofString(),
            )
            runBlocking { refreshing.await() }
            val stale = get(port, "/products/1")
            assertEquals("STALE", status(stale))
            assertEquals("""{"n":1}""", stale.body())
            assertEquals(2, calls.get(), "the stale copy is served without running the handler")
            release.complete(Unit)
            val refreshed = refresh.get(20, TimeUnit.SECONDS)
            assertEquals("REFRESH", status(refreshed))
            assertEquals("""{"n":2}""", refreshed.body())

            val hit = get(port, "/products/1")
            assertEquals("HIT", status(hit))
            assertEquals("""{"n":2}""", hit.body())
            assertEquals("2026-01-01T00:02:01Z", hit.headers().firstValue("X-Cache-Reset-At").orElse(null), "the soft expiry")

            clock.now = clock.now.plusSeconds(121)
            assertEquals("MISS", status(get(port, "/products/1")), "past ttl + staleFor the entry is gone")

            fun count(s: String) = registry.get("restflow.response_cache.requests").tag("namespace", "products").tag("status", s).counter().count()
            assertEquals(2.0, count("miss"))
            assertEquals(2.0, count("hit"))
            assertEquals(1.0, count("stale"))
            assertEquals(1.0, count("refresh"))
        } finally {
            release.complete(Unit)
            server.stop(0, 2_000)
        }
    }

    @Test
    fun `a frozen or stopped Redis leaves responses answered by the handler, never 5xx, and caching resumes after`() {
        val redis = TestServices.newRedisServer()
        val registry = SimpleMeterRegistry()
        val calls = AtomicInteger()
        val port = java.net.ServerSocket(0).use { it.localPort }
        val server = embeddedServer(Netty, port = port, host = "127.0.0.1") {
            install(Restflow) { settings { cache { url = redis.uri } } }
            routing {
                route("/products/{id}") {
                    install(ResponseCache) { meterRegistry = registry }
                    get { call.respondText("""{"n":${calls.incrementAndGet()}}""") }
                }
            }
        }.start(wait = false)
        try {
            assertEquals("MISS", status(get(port, "/products/1")))
            assertEquals("HIT", status(get(port, "/products/1")))

            redis.freeze()
            try {
                repeat(3) {
                    val r = get(port, "/products/1")
                    assertEquals(200, r.statusCode())
                    assertNull(status(r), "bypassed: no cache status")
                }
            } finally {
                redis.thaw()
            }
            redis.stop()
            val down = get(port, "/products/2")
            assertEquals(200, down.statusCode())
            assertEquals(5, calls.get(), "every call during the outage ran the handler")

            redis.start()
            var status: String? = null
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
            while (status != "MISS" && System.nanoTime() < deadline) {
                status = status(get(port, "/products/3"))
                if (status != "MISS") Thread.sleep(200)
            }
            assertEquals("MISS", status, "the cache is used again once Redis is back")
            assertEquals("HIT", status(get(port, "/products/3")))
            val degraded = registry.get("restflow.response_cache.degraded").counter().count()
            assertNotEquals(0.0, degraded, "the outage shows in the degraded counter")
        } finally {
            server.stop(0, 2_000)
            redis.stop()
        }
    }

    @Test
    fun `call key shortcuts key by query, header, principal and path`() = testApplication {
        // region call-key
        val key = cacheKey<ApplicationCall>("products") {
            partition("product") { it.parameters["id"] }
            queryParams("page", "size") // only these, sorted: ?size=5&page=2 == ?page=2&size=5
            header("Accept-Language")
            principal()                 // two users never share an entry
            pathParam("id")
        }
        // endregion
        val rendered = mutableListOf<String>()
        val partitions = mutableSetOf<String>()
        application {
            install(Restflow)
            routing {
                get("/products/{id}") {
                    rendered += key.render(call)
                    partitions += key.partition(call)
                    call.respondText("ok")
                }
            }
        }
        client.get("/products/7?size=5&page=2&utm=x") { header(HttpHeaders.AcceptLanguage, "fr") }
        client.get("/products/7?page=2&size=5") { header(HttpHeaders.AcceptLanguage, "fr") }
        client.get("/products/7?page=2&size=5") { header(HttpHeaders.AcceptLanguage, "de") }
        client.get("/products/7?page=2&size=5")
        client.get("/products/8?page=2&size=5")
        assertEquals(5, rendered.size)
        assertEquals(rendered[0], rendered[1], "parameter order and unlisted parameters do not matter")
        assertNotEquals(rendered[1], rendered[2], "the header is part of the key")
        assertNotEquals(rendered[2], rendered[3], "a missing header differs from any value")
        assertNotEquals(rendered[3], rendered[4], "the path parameter is part of the key")
        assertEquals(2, partitions.size, "one partition per product id")
    }
}
