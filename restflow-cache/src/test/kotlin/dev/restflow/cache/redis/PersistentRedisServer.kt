package dev.restflow.cache.redis

import redis.embedded.RedisServer
import java.net.InetAddress
import java.net.ServerSocket
import java.nio.file.Files
import java.nio.file.Path

/**
 * An embedded Redis that keeps its data across [stop] and [start] (append-only file, fsync on every write), like a
 * production Redis restarting: what was cached before an outage is there again after it. `TestServices`' servers
 * run without persistence, so a restart there empties Redis and cannot show a stale entry.
 */
class PersistentRedisServer : AutoCloseable {
    private val dir: Path = Files.createTempDirectory("restflow-redis-aof")
    val port: Int = ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { it.localPort }
    val uri: String get() = "redis://127.0.0.1:$port/0"
    private val server: RedisServer = RedisServer.builder()
        .port(port)
        .bind("127.0.0.1")
        .setting("dir $dir")
        .setting("save \"\"")
        .setting("appendonly yes")
        .setting("appendfsync always")
        .setting("protected-mode no")
        .build()

    init {
        start()
        Runtime.getRuntime().addShutdownHook(Thread { runCatching { server.stop() } })
    }

    /** Starts the server again; it reloads what it had. */
    fun start() {
        if (!server.isActive) server.start()
    }

    /** Stops the server (SIGTERM: it finishes writing its append-only file); connections are refused until [start]. */
    fun stop() {
        if (server.isActive) server.stop()
    }

    override fun close() {
        stop()
        dir.toFile().deleteRecursively()
    }
}
