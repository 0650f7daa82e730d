package dev.restflow.benchmarks.export

import java.io.IOException
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.zip.CRC32

/** What one export call returned, read to the end. */
internal class ExportRead(
    val status: Int,
    val contentType: String?,
    val lines: Long,
    val bytes: Long,
    val nanos: Long,
    /** CRC-32 of the whole body: equal bodies have equal checksums (and line and byte counts). */
    val crc: Long,
    val firstLine: String,
    val lastLine: String,
    /** Set when the body could not be read to its end (the server died or reset the connection). */
    val failure: String? = null,
) {
    val seconds: Double get() = nanos / 1e9
    val rowsPerSecond: Double get() = lines / seconds
    val megabytesPerSecond: Double get() = bytes / 1e6 / seconds
}

/**
 * The benchmark's HTTP client: the JDK's `HttpClient` (HTTP/1.1, keep-alive) reading each body as a stream in 64 KB
 * chunks, counting lines and bytes and checksumming, without keeping the body.
 */
internal class ExportClient(private val port: Int) {
    private val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build()

    fun export(path: String): ExportRead {
        val request = HttpRequest.newBuilder(URI("http://127.0.0.1:$port$path")).GET().build()
        val started = System.nanoTime()
        val response = http.send(request, HttpResponse.BodyHandlers.ofInputStream())
        var lines = 0L
        var bytes = 0L
        val crc = CRC32()
        val first = java.io.ByteArrayOutputStream()
        var current = java.io.ByteArrayOutputStream()
        var previous = java.io.ByteArrayOutputStream()
        var failure: String? = null
        val buffer = ByteArray(65536)
        try {
            response.body().use { body ->
                while (true) {
                    val n = body.read(buffer)
                    if (n < 0) break
                    crc.update(buffer, 0, n)
                    bytes += n
                    for (i in 0 until n) {
                        val b = buffer[i]
                        if (lines == 0L) first.write(b.toInt())
                        if (b == NEWLINE) {
                            lines++
                            val done = current
                            current = previous
                            previous = done
                            current.reset()
                        } else if (current.size() < MAX_KEPT_LINE) {
                            current.write(b.toInt())
                        }
                    }
                }
            }
        } catch (e: IOException) {
            failure = e.toString()
        }
        val nanos = System.nanoTime() - started
        // `previous` is the last complete line; `current` what followed it (empty for a well-formed body).
        val tail = if (current.size() > 0) current else previous
        return ExportRead(
            response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), lines, bytes, nanos,
            crc.value, first.toString(Charsets.UTF_8).trimEnd('\n'), tail.toString(Charsets.UTF_8), failure,
        )
    }

    fun post(path: String): String {
        val request = HttpRequest.newBuilder(URI("http://127.0.0.1:$port$path")).POST(HttpRequest.BodyPublishers.noBody()).build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() == 200) { "POST $path answered ${response.statusCode()}: ${response.body()}" }
        return response.body()
    }

    fun get(path: String): String {
        val request = HttpRequest.newBuilder(URI("http://127.0.0.1:$port$path")).GET().build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() == 200) { "GET $path answered ${response.statusCode()}: ${response.body()}" }
        return response.body()
    }

    private companion object {
        const val NEWLINE = '\n'.code.toByte()
        const val MAX_KEPT_LINE = 4096
    }
}
