package dev.restflow.ktor.cache

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.memory.InMemoryCacheBackend
import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.cache.twotier.TwoTierCacheBackend
import dev.restflow.ktor.settings.CacheSettings
import java.time.Clock

/** Builds the application's cache backend from `restflow.cache`. */
internal object CacheBackends {
    /** [nearCache]: namespaces a Redis backend keeps in process (see `RedisCacheBackend.Builder.nearCache`). */
    fun fromSettings(settings: CacheSettings, clock: Clock, nearCache: Set<String> = emptySet()): CacheBackend {
        val url = settings.url
        if (url == null || url.startsWith("memory://", ignoreCase = true)) {
            return InMemoryCacheBackend.builder().maximumSize(settings.maximumSize).clock(clock).build()
        }
        val redis = RedisCacheBackend.builder(url).commandTimeout(settings.commandTimeout).clock(clock)
            .nearCache(*nearCache.toTypedArray()).build()
        val l1Ttl = settings.l1Ttl ?: return redis
        return TwoTierCacheBackend.builder(redis).l1Ttl(l1Ttl).l1MaximumSize(settings.maximumSize).clock(clock).build()
    }
}
