package dev.restflow.ktor.cache

import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.DataInputStream
import java.io.DataOutputStream
import java.io.IOException

/** A stored response: status, headers, body, when it was cached and its ETag; a compact binary layout. */
internal class CachedResponse(
    val status: Int,
    val headers: List<Pair<String, String>>,
    val body: ByteArray,
    val cachedAtMillis: Long,
    val etag: String,
) {
    fun encode(): ByteArray {
        val out = ByteArrayOutputStream(body.size + 256)
        DataOutputStream(out).use { data ->
            data.writeByte(VERSION)
            data.writeShort(status)
            data.writeLong(cachedAtMillis)
            data.writeUTF(etag)
            data.writeShort(headers.size)
            headers.forEach { (name, value) ->
                data.writeUTF(name)
                data.writeUTF(value)
            }
            data.writeInt(body.size)
            data.write(body)
        }
        return out.toByteArray()
    }

    companion object {
        private const val VERSION = 1

        /** The stored response, or `null` for bytes of another version or shape (treated as a miss). */
        fun decode(bytes: ByteArray): CachedResponse? = try {
            DataInputStream(ByteArrayInputStream(bytes)).use { data ->
                if (data.readByte().toInt() != VERSION) return null
                val status = data.readShort().toInt()
                val cachedAt = data.readLong()
                val etag = data.readUTF()
                val headers = List(data.readShort().toInt()) { data.readUTF() to data.readUTF() }
                val body = ByteArray(data.readInt()).also(data::readFully)
                CachedResponse(status, headers, body, cachedAt, etag)
            }
        } catch (_: IOException) {
            null
        } catch (_: IllegalArgumentException) {
            null
        }
    }
}
