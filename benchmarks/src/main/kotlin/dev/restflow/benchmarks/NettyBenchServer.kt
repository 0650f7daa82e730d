package dev.restflow.benchmarks

import io.ktor.server.application.Application
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.applicationEnvironment
import io.ktor.server.engine.connector
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.netty.NettyApplicationEngine
import kotlinx.coroutines.runBlocking
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * An application served by Ktor on Netty over loopback sockets and called with the JDK's HTTP client (keep-alive,
 * HTTP/1.1): the production engine, where calls run concurrently and a call waiting on I/O (Redis, the database)
 * does not hold up the others. [config] is the application configuration, as in [BenchServer].
 */
public class NettyBenchServer(config: Map<String, String>, module: Application.() -> Unit) : BenchClient {
    private val server: EmbeddedServer<NettyApplicationEngine, NettyApplicationEngine.Configuration> = embeddedServer(
        Netty,
        environment = applicationEnvironment { this.config = MapApplicationConfig(*config.map { it.key to it.value }.toTypedArray()) },
        configure = { connector { host = "127.0.0.1"; port = 0 } },
        module = module,
    )
    private val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
    private val port: Int

    init {
        server.start(wait = false)
        port = runBlocking { server.engine.resolvedConnectors().first().port }
    }

    override fun get(path: String, headers: Map<String, String>): String {
        val request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port$path")).GET()
        headers.forEach { (name, value) -> request.header(name, value) }
        val response = http.send(request.build(), HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() == 200) { "GET $path answered ${response.statusCode()}: ${response.body()}" }
        return response.body()
    }

    override fun close() {
        server.stop(0, 2_000)
    }
}
