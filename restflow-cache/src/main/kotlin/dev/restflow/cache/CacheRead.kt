package dev.restflow.cache

import java.time.Instant

/**
 * The outcome of [CacheBackend.get]: a [Hit] with the stored bytes or a [Miss]. Both carry the [stamp] that makes a
 * following conditional [CacheBackend.set] safe against concurrent invalidation.
 */
public sealed class CacheRead {
    /** The backend's history point of this read, for a conditional [CacheBackend.set]. */
    public abstract val stamp: CacheStamp

    /** The entry exists and is valid. */
    public class Hit internal constructor(
        /** The stored bytes; callers must not modify the array. */
        public val value: ByteArray,
        /** When the entry expires, as told by the backend's clock. */
        public val expiresAt: Instant,
        override val stamp: CacheStamp,
    ) : CacheRead() {
        override fun toString(): String = "Hit(${value.size} bytes, expiresAt=$expiresAt)"
    }

    /** No valid entry: absent, expired, deleted, or invalidated through its partition or namespace. */
    public class Miss internal constructor(override val stamp: CacheStamp) : CacheRead() {
        override fun toString(): String = "Miss"
    }
}
