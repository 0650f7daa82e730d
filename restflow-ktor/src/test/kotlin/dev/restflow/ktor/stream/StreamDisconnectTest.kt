package dev.restflow.ktor.stream

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.restflow.exposed.stream.streamRows
import dev.restflow.ktor.Restflow
import dev.restflow.testing.TestServices
import io.ktor.server.application.install
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import kotlinx.coroutines.flow.map
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.net.ServerSocket
import java.net.Socket
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

private object Numbers : Table("stream_numbers") {
    val n = integer("n")
}

/**
 * A client that goes away mid-stream (issue 8, R-22): on a real Netty server and PostgreSQL, the cursor's transaction
 * ends and its pooled connection is back in the pool, with no query left on the server.
 */
class StreamDisconnectTest {
    private val pg = TestServices.newPostgresDatabase()
    private val pool = HikariDataSource(HikariConfig().apply {
        jdbcUrl = pg.jdbcUrl
        username = pg.user
        password = pg.password
        maximumPoolSize = 2
        poolName = "stream-disconnect"
    })
    private val db = Database.connect(pool)

    @AfterTest
    fun close() {
        TransactionManager.closeAndUnregister(db)
        pool.close()
    }

    @Test
    fun `a client that disconnects mid-stream cancels the query and returns the connection to the pool`() {
        transaction(db) {
            SchemaUtils.create(Numbers)
            exec("INSERT INTO stream_numbers (n) SELECT g FROM generate_series(1, 500000) g")
        }
        val port = ServerSocket(0).use { it.localPort }
        val server = embeddedServer(Netty, port = port, host = "127.0.0.1") {
            install(Restflow) { readApplicationConfig(false) }
            routing {
                get("/numbers") {
                    call.respondNdjson(streamRows(db, fetchSize = 100) { Numbers.selectAll().orderBy(Numbers.n) }.map { JsonPrimitive(it[Numbers.n]) })
                }
            }
        }.start(wait = false)
        try {
            Socket("127.0.0.1", port).use { socket ->
                socket.getOutputStream().write("GET /numbers HTTP/1.1\r\nHost: localhost\r\n\r\n".toByteArray())
                val input = socket.getInputStream().bufferedReader()
                // After the headers: chunk-size lines and NDJSON values, so the stream is flowing.
                val firstNumbers = generateSequence { input.readLine() }.dropWhile { it != "" }.drop(1).take(40).toList()
                assertTrue(firstNumbers.any { it == "1" }, firstNumbers.toString())
                assertEquals(1, pool.hikariPoolMXBean.activeConnections, "the stream holds one pooled connection")
            } // closing the socket is the disconnect
            val started = System.nanoTime()
            awaitCondition { pool.hikariPoolMXBean.activeConnections == 0 }
            val releasedAfterMillis = (System.nanoTime() - started) / 1_000_000
            println("StreamDisconnectTest: connection back in the pool ${releasedAfterMillis} ms after the disconnect")
            awaitCondition { serverBackendsReading() == 0 }
        } finally {
            server.stop(0, 2_000)
        }
    }

    /** Sessions (other than this probe) still inside the streaming transaction or running its query. */
    private fun serverBackendsReading(): Int = pg.connect().use { c ->
        c.createStatement().use { s ->
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() " +
                    "AND (state IN ('active', 'idle in transaction') AND query ILIKE '%stream_numbers%')",
            ).use { it.next(); it.getInt(1) }
        }
    }

    /** Polls [condition] until it holds; a bound of 30 s only keeps a broken build from hanging. */
    private fun awaitCondition(condition: () -> Boolean) {
        val deadline = System.nanoTime() + 30_000_000_000L
        while (!condition()) {
            check(System.nanoTime() < deadline) { "condition not reached" }
            Thread.sleep(10)
        }
    }
}
