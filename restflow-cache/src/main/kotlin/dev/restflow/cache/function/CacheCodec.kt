package dev.restflow.cache.function

import kotlinx.serialization.KSerializer
import kotlinx.serialization.json.Json
import kotlinx.serialization.serializer

/**
 * Turns a cached function's values into bytes and back. [decode] must throw (any exception) on bytes it cannot
 * read, such as an entry written by an older shape of the type: the cached function then treats it as a miss.
 * Thread-safe.
 */
public interface CacheCodec<T> {
    /** The bytes of [value]. */
    public fun encode(value: T): ByteArray

    /** The value of [bytes]; throws when they do not fit the type. */
    public fun decode(bytes: ByteArray): T

    /** Built-in codecs. */
    public companion object {
        private val strictJson = Json {
            ignoreUnknownKeys = false
            explicitNulls = true
            encodeDefaults = true
        }

        /**
         * JSON through kotlinx-serialization, strict: an unknown or a missing field fails decoding, so an entry of
         * another shape is never mistaken for the current one.
         */
        @JvmStatic
        public fun <T> json(serializer: KSerializer<T>): CacheCodec<T> = object : CacheCodec<T> {
            override fun encode(value: T): ByteArray = strictJson.encodeToString(serializer, value).toByteArray()
            override fun decode(bytes: ByteArray): T = strictJson.decodeFromString(serializer, bytes.decodeToString())
        }

        /** JSON for [type] (a `@Serializable` class, `String`, a boxed primitive), for Java. */
        @JvmStatic
        public fun <T : Any> forClass(type: Class<T>): CacheCodec<T> {
            @Suppress("UNCHECKED_CAST")
            return json(serializer(type) as KSerializer<T>)
        }
    }
}
