package dev.restflow.sample

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertTimeoutPreemptively
import org.junit.jupiter.api.io.TempDir
import java.net.ConnectException
import java.net.InetSocketAddress
import java.net.Socket
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Path
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue

class ShopServerTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `the real server answers health on a free port and stops gracefully within its bound`() {
        val config = SampleConfig.fromEnvironment(mapOf("PORT" to "0", "SAMPLE_SEED_PRODUCTS" to "3"), dir)
        val server = ShopServer.start(config)
        try {
            assertNotEquals(0, server.port)
            val client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
            val request = HttpRequest.newBuilder(URI.create("${server.url}/health")).timeout(Duration.ofSeconds(10)).build()

            val response = client.send(request, HttpResponse.BodyHandlers.ofString())

            assertEquals(200, response.statusCode())
            assertEquals("""{"status":"ok"}""", response.body())
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"))
        } finally {
            // grace period + timeout is the bound the engine promises; allow generous slack for a busy machine
            val bound = Duration.ofMillis(config.shutdownGracePeriodMillis + config.shutdownTimeoutMillis).plusSeconds(10)
            assertTimeoutPreemptively(bound) {
                server.stop()
                server.awaitStop()
            }
        }

        assertTrue(server.database.isClosed, "the pool is closed after the engine stopped")
        assertFailsWith<ConnectException> {
            Socket().use { it.connect(InetSocketAddress("127.0.0.1", server.port), 2_000) }
        }
        server.stop() // idempotent
    }
}
