package dev.restflow.sample

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.io.TempDir
import java.io.BufferedReader
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** Runs `main` in its own JVM, as `mvn exec:java` or a container would, and stops it with SIGTERM. */
@Timeout(120) // a guard against a hung child, not a performance bound
class MainProcessTest {
    @TempDir
    lateinit var dir: Path

    private fun startMain(vararg env: Pair<String, String>): Process {
        val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
        val builder = ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.restflow.sample.MainKt")
            .redirectErrorStream(true)
        builder.environment().apply {
            listOf("DATABASE_USER", "DATABASE_PASSWORD", "REDIS_URL", "RESTFLOW_JWT_SIGNING_KEY").forEach { remove(it) }
            put("PORT", "0")
            put("SAMPLE_SEED_PRODUCTS", "3")
            put("DATABASE_URL", SampleConfig.defaultH2Url(dir))
            putAll(env)
        }
        return builder.start()
    }

    @Test
    fun `main exits with status 2 naming the variable when the configuration is invalid`() {
        val process = startMain("PORT" to "eighty")
        try {
            val log = process.inputStream.bufferedReader().readText() // EOF when the process exits
            assertTrue(process.waitFor(30, TimeUnit.SECONDS))
            assertEquals(2, process.exitValue(), log)
            assertTrue("Invalid configuration: PORT must be an integer" in log, log)
        } finally {
            process.destroyForcibly()
        }
    }

    @Test
    fun `main serves health on the logged port and SIGTERM shuts it down gracefully`() {
        val process = startMain()
        val output = process.inputStream.bufferedReader()
        val log = StringBuilder()
        try {
            // Read up to the URL line on another thread (bounded), then leave the pipe alone until the process has
            // exited: the JDK drains a dead child's pipe into a buffer, and a read blocked at that moment fails.
            val port = CompletableFuture.supplyAsync { readUntilListening(output, log) }.get(60, TimeUnit.SECONDS)
            assertTrue("WARN" in log && "RESTFLOW_JWT_SIGNING_KEY" in log, "a generated key is warned about\n$log")

            val response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:$port/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(),
            )
            assertEquals(200, response.statusCode())
            assertEquals("""{"status":"ok"}""", response.body())

            // SIGTERM; not Process.destroy(), which also closes our end of the child's output pipe
            process.toHandle().destroy()
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process exits after SIGTERM")
            output.lineSequence().forEach { log.appendLine(it) }

            assertEquals(143, process.exitValue(), log.toString()) // 128 + SIGTERM, after the shutdown hooks ran
            val closed = log.indexOf("Database pool closed")
            assertTrue(closed >= 0, "the pool is closed on SIGTERM\n$log")
            assertTrue(closed < log.indexOf("Shop stopped"), log.toString())
        } finally {
            process.destroyForcibly()
        }
    }

    private fun readUntilListening(output: BufferedReader, log: StringBuilder): Int {
        val listening = Regex("Shop listening on http://localhost:(\\d+)")
        while (true) {
            val line = output.readLine() ?: error("main exited before listening\n$log")
            log.appendLine(line)
            listening.find(line)?.let { return it.groupValues[1].toInt() }
        }
    }
}
