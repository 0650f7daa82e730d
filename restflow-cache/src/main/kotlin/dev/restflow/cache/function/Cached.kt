package dev.restflow.cache.function

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.key.CacheKey
import kotlinx.serialization.serializer
import kotlin.time.Duration
import kotlin.time.Duration.Companion.minutes

/**
 * Caches [loader] in this backend under keys from [key] for [ttl] (default 5 minutes), values encoded as strict
 * JSON with [T]'s kotlinx-serialization serializer. [configure] sets the options of [CachedFunctionConfig]
 * (`staleFor`, `cacheIf`, metrics, ...). See [CachedFunction] for the behaviour.
 *
 * ```
 * val getUser = backend.cached(userKey, ttl = 5.minutes) { q -> users.find(q.userId) }
 * ```
 */
public inline fun <Args, reified T> CacheBackend.cached(
    key: CacheKey<Args>,
    ttl: Duration = 5.minutes,
    noinline configure: CachedFunctionConfig<T>.() -> Unit = {},
    noinline loader: suspend (Args) -> T,
): CachedFunction<Args, T> = cached(key, ttl, CacheCodec.json(serializer<T>()), configure, loader)

/** [cached] with an explicit [codec] instead of a reified serializer. */
public fun <Args, T> CacheBackend.cached(
    key: CacheKey<Args>,
    ttl: Duration,
    codec: CacheCodec<T>,
    configure: CachedFunctionConfig<T>.() -> Unit = {},
    loader: suspend (Args) -> T,
): CachedFunction<Args, T> =
    CachedFunction(key, this, ttl, codec, CachedFunctionConfig<T>().apply(configure), loader)
