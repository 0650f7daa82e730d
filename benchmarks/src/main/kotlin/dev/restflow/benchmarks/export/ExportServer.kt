package dev.restflow.benchmarks.export

import dev.restflow.sample.SampleConfig
import dev.restflow.sample.database.ShopDatabase
import dev.restflow.sample.shopModule
import io.ktor.http.ContentType
import io.ktor.server.engine.connector
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.routing
import kotlinx.coroutines.runBlocking
import java.lang.management.ManagementFactory

/**
 * The server side of [ExportBench], run in a child JVM at `-Xmx64m`: the real sample shop (`shopModule`, on Netty,
 * over the PostgreSQL database given as arguments `<jdbcUrl> <user> <password>`) plus
 * - `/bench/jdbc/export.ndjson`, the hand-written JDBC baseline ([jdbcExportRoute]), on the same pool;
 * - `POST /bench/heap/start?forced_gc_ms=N` and `POST /bench/heap/stop`, the [HeapMonitor] window (JSON figures).
 *
 * Prints `EXPORT_SERVER_PORT=<port>` on stdout once listening; stops when its stdin closes (the driver died).
 */
public object ExportServer {
    /** Port announcement line prefix, read by the driver. */
    internal const val PORT_LINE: String = "EXPORT_SERVER_PORT="

    @JvmStatic
    public fun main(args: Array<String>) {
        require(args.size == 3) { "usage: ExportServer <jdbcUrl> <user> <password>" }
        val config = SampleConfig(
            port = 0,
            host = "127.0.0.1",
            databaseUrl = args[0],
            databaseUser = args[1],
            databasePassword = args[2],
            jwtSigningKey = "export-benchmark-signing-key-not-secret",
            seedProducts = 0,
        )
        val database = ShopDatabase.open(config)
        val heap = HeapMonitor()
        val server = embeddedServer(
            Netty,
            configure = { connector { host = config.host; port = 0 } },
            module = {
                shopModule(config, database)
                routing {
                    jdbcExportRoute(database.dataSource)
                    post("/bench/heap/start") {
                        heap.start(call.request.queryParameters["forced_gc_ms"]?.toLong() ?: 0)
                        call.respondText("{}", ContentType.Application.Json)
                    }
                    post("/bench/heap/stop") { call.respondText(heap.stop(), ContentType.Application.Json) }
                    get("/bench/jvm") {
                        val runtime = ManagementFactory.getRuntimeMXBean()
                        val gcs = ManagementFactory.getGarbageCollectorMXBeans().joinToString(",") { "\"${it.name}\"" }
                        call.respondText(
                            """{"max_heap":${Runtime.getRuntime().maxMemory()},"gcs":[$gcs],"vm":"${runtime.vmName} ${runtime.vmVersion}"}""",
                            ContentType.Application.Json,
                        )
                    }
                }
            },
        )
        server.start(wait = false)
        val port = runBlocking { server.engine.resolvedConnectors().first().port }
        println("$PORT_LINE$port")
        System.out.flush()
        // The driver keeps our stdin open; end of input means it is gone.
        while (System.`in`.read() >= 0) { /* ignore input */ }
        server.stop(500, 2_000)
        database.close()
    }
}
