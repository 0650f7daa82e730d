package dev.restflow.cache.function

import java.nio.ByteBuffer

/**
 * What a cached function stores: a format byte, when the value was cached, when it stops being fresh, then the
 * codec's bytes. Anything else decodes to `null` (a miss).
 */
internal class CacheEnvelope(val cachedAtMillis: Long, val freshUntilMillis: Long, val payload: ByteArray) {
    fun toBytes(): ByteArray = ByteBuffer.allocate(HEADER + payload.size)
        .put(FORMAT).putLong(cachedAtMillis).putLong(freshUntilMillis).put(payload).array()

    companion object {
        private const val FORMAT: Byte = 1
        private const val HEADER = 17

        fun parse(bytes: ByteArray): CacheEnvelope? {
            if (bytes.size < HEADER || bytes[0] != FORMAT) return null
            val buffer = ByteBuffer.wrap(bytes)
            buffer.get()
            return CacheEnvelope(buffer.long, buffer.long, bytes.copyOfRange(HEADER, bytes.size))
        }
    }
}
