package dev.restflow.testing

import redis.embedded.RedisServer
import java.net.InetAddress
import java.net.Socket

/** Builds embedded Redis servers bound to loopback with persistence off. */
internal object EmbeddedRedisLauncher {
    fun build(port: Int): RedisServer = RedisServer.builder()
        .port(port)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .setting("protected-mode no")
        .build()

    /** Asks the server on [port] for its process id (`INFO server`), over a plain RESP exchange. */
    fun processId(port: Int): Long {
        Socket(InetAddress.getLoopbackAddress(), port).use { socket ->
            socket.soTimeout = 5_000
            socket.getOutputStream().apply {
                write("*2\r\n\$4\r\nINFO\r\n\$6\r\nserver\r\n".toByteArray(Charsets.US_ASCII))
                flush()
            }
            val input = socket.getInputStream().bufferedReader(Charsets.US_ASCII)
            val header = input.readLine() ?: error("redis on port $port closed the connection")
            check(header.startsWith("$")) { "unexpected INFO reply from redis on port $port: $header" }
            return generateSequence { input.readLine() }
                .first { it.startsWith("process_id:") }
                .substringAfter(':').trim().toLong()
        }
    }
}
