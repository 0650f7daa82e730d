package dev.restflow.benchmarks

import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.testing.TestApplication
import kotlinx.coroutines.runBlocking

/**
 * An application served by Ktor's in-memory test engine (no sockets), called blocking from JMH. Both sides of a
 * benchmark live in the same application, so they share the engine, the client and the JIT state.
 */
public class BenchServer(config: Map<String, String>, module: Application.() -> Unit) : BenchClient {
    private val app = TestApplication {
        environment { this.config = MapApplicationConfig(*config.map { it.key to it.value }.toTypedArray()) }
        application(module)
    }
    private val client = app.client

    init {
        runBlocking { app.start() }
    }

    override fun get(path: String, headers: Map<String, String>): String = runBlocking {
        val response = client.get(path) { headers.forEach { (k, v) -> header(k, v) } }
        val body = response.bodyAsText()
        check(response.status == HttpStatusCode.OK) { "GET $path answered ${response.status}: $body" }
        body
    }

    /** GETs [path] without headers (for Java). */
    public fun get(path: String): String = get(path, emptyMap())

    override fun close() {
        runBlocking { app.stop() }
    }
}
