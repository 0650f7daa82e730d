package dev.restflow.benchmarks.export

import dev.restflow.testing.PostgresDatabase
import java.io.File
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * One [ExportServer] in a child JVM: same Java, same class path (the shaded benchmarks jar), `-Xmx64m` and G1
 * unless [jvmOptions] say otherwise. Its output is echoed with a `[server]` prefix. [close] ends it (closing its stdin
 * lets it stop gracefully; it is destroyed after 5 s).
 */
internal class ChildServer(database: PostgresDatabase, jvmOptions: List<String>) : AutoCloseable {
    private val process: Process
    private val portFuture = CompletableFuture<Int>()
    private val reader: Thread

    /** What the child printed, for checks such as "did it die of OutOfMemoryError". */
    val output: StringBuffer = StringBuffer()

    init {
        val java = File(System.getProperty("java.home"), "bin/java").path
        val command = listOf(java) + jvmOptions + listOf(
            "-cp", System.getProperty("java.class.path"),
            ExportServer::class.java.name, database.jdbcUrl, database.user, database.password,
        )
        process = ProcessBuilder(command).redirectErrorStream(true).start()
        Runtime.getRuntime().addShutdownHook(Thread { process.destroyForcibly() })
        reader = Thread({
            process.inputStream.bufferedReader().forEachLine { line ->
                output.append(line).append('\n')
                if (line.startsWith(ExportServer.PORT_LINE)) {
                    portFuture.complete(line.removePrefix(ExportServer.PORT_LINE).trim().toInt())
                } else {
                    println("    [server] $line")
                }
            }
            portFuture.completeExceptionally(IllegalStateException("the export server exited before listening"))
        }, "export-server-output").apply { isDaemon = true; start() }
    }

    /** The child's port, once it listens (at most 60 s). */
    val port: Int by lazy { portFuture.get(60, TimeUnit.SECONDS) }

    /** True while the child process runs. */
    val isAlive: Boolean get() = process.isAlive

    override fun close() {
        runCatching { process.outputStream.close() }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            process.waitFor(5, TimeUnit.SECONDS)
        }
        reader.join(5_000)
    }
}
