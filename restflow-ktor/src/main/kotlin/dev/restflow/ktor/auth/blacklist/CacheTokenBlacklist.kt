package dev.restflow.ktor.auth.blacklist

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import java.nio.ByteBuffer
import java.time.Clock
import java.time.Instant
import kotlin.time.Duration.Companion.seconds

/** The cache namespace of [CacheTokenBlacklist]'s entries. */
internal const val BLACKLIST_NAMESPACE: String = "restflow.jwt.blacklist"

/**
 * A [TokenBlacklist] in a [CacheBackend] (Redis when several instances share it), under the namespace
 * `restflow.jwt.blacklist`. Each entry's TTL is the remaining lifetime of its token (at least one second), so
 * entries expire with their tokens.
 *
 * [add] is atomic across instances through the backend's counter ([CacheBackend.increment]); lookups are plain
 * reads. Failures of the backend ([dev.restflow.cache.CacheUnavailableException]) propagate to Restflow, which
 * applies the configured timeout and fail-closed/fail-open policy. An in-memory backend only protects one process:
 * Restflow refuses to build it from settings unless `blacklist-allow-in-memory` is set.
 */
public class CacheTokenBlacklist @JvmOverloads constructor(
    private val cache: CacheBackend,
    private val clock: Clock = Clock.systemUTC(),
) : TokenBlacklist {
    override suspend fun add(id: String, expiresAt: Instant): Boolean {
        val ttl = ttlUntil(expiresAt)
        val first = cache.increment(key("claim:$id"), 1, ttl) == 1L
        cache.set(key(id), MARK, ttl)
        return first
    }

    override suspend fun containsAny(ids: Collection<String>): Boolean =
        ids.isNotEmpty() && cache.getMany(ids.map(::key)).any { it is CacheRead.Hit }

    /** One read of the backend for the ids and the user's record together (one Redis round trip). */
    override suspend fun isRevoked(ids: Collection<String>, userId: String, issuedAt: Instant?): Boolean {
        val reads = cache.getMany(ids.map(::key) + key("user:$userId"))
        if (reads.subList(0, ids.size).any { it is CacheRead.Hit }) return true
        return TokenBlacklist.revokedBy(revokedBefore(reads.last()), issuedAt)
    }

    /** Backend calls honour cancellation (the [CacheBackend] contract). */
    override val honoursCancellation: Boolean get() = true

    override suspend fun revokeUserTokens(userId: String, revokedBefore: Instant, expiresAt: Instant) {
        val bytes = ByteBuffer.allocate(Long.SIZE_BYTES).putLong(revokedBefore.epochSecond).array()
        cache.set(key("user:$userId"), bytes, ttlUntil(expiresAt))
    }

    override suspend fun userTokensRevokedBefore(userId: String): Instant? =
        revokedBefore(cache.get(key("user:$userId")))

    private fun revokedBefore(read: CacheRead): Instant? {
        if (read !is CacheRead.Hit || read.value.size != Long.SIZE_BYTES) return null
        return Instant.ofEpochSecond(ByteBuffer.wrap(read.value).getLong())
    }

    private fun ttlUntil(expiresAt: Instant) =
        (expiresAt.epochSecond - clock.instant().epochSecond).coerceAtLeast(1).seconds

    private fun key(id: String) = CacheEntryKey.of(NAMESPACE, "$NAMESPACE:$id")

    private companion object {
        const val NAMESPACE = BLACKLIST_NAMESPACE
        val MARK = byteArrayOf(1)
    }
}
