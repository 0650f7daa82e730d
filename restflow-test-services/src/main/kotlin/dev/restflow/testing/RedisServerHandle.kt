package dev.restflow.testing

import redis.embedded.RedisServer
import java.util.concurrent.TimeUnit

/**
 * A private embedded Redis server that a test owns and may break on purpose: stop it, start it again on the
 * same port, or freeze it (`SIGSTOP`) so that it accepts connections but never answers.
 *
 * Obtained from [TestServices.newRedisServer]; always [close] it (it is also stopped when the JVM exits).
 */
public class RedisServerHandle internal constructor(
    /** The loopback port the server listens on; it keeps it across [stop] and [start]. */
    public val port: Int,
) : AutoCloseable {
    private val server: RedisServer = EmbeddedRedisLauncher.build(port)

    @Volatile
    private var pid: Long? = null

    /** The server's URI, `redis://127.0.0.1:<port>/0`. */
    public val uri: String get() = "redis://127.0.0.1:$port/0"

    /** Starts the server (again) on [port]; returns when it accepts connections. */
    @Synchronized
    public fun start() {
        if (!server.isActive) server.start()
        pid = EmbeddedRedisLauncher.processId(port)
    }

    /** Stops the server: connections are refused until [start]. Thaws it first if it is frozen. */
    @Synchronized
    public fun stop() {
        thaw()
        if (server.isActive) server.stop()
        pid = null
    }

    /** Freezes the server with `SIGSTOP`: TCP connects still succeed, commands hang until [thaw]. */
    public fun freeze(): Unit = signal("STOP")

    /** Resumes a server frozen by [freeze]. */
    public fun thaw(): Unit = signal("CONT")

    /** The server's process id while it runs. */
    public fun pid(): Long = pid ?: error("the redis server on port $port is not running")

    override fun close(): Unit = stop()

    private fun signal(name: String) {
        val pid = pid ?: return
        val process = ProcessBuilder("kill", "-$name", pid.toString()).inheritIO().start()
        check(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) { "kill -$name $pid failed" }
    }
}
