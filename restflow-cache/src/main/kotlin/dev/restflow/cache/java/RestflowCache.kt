package dev.restflow.cache.java

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.function.CacheCodec
import dev.restflow.cache.function.CachedFunctionConfig
import dev.restflow.cache.function.cached
import dev.restflow.cache.key.CacheKey
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runInterruptible
import java.time.Duration
import java.util.function.Consumer
import kotlin.time.toKotlinDuration

/**
 * The Java entry point to cached functions over one [CacheBackend]:
 *
 * ```java
 * RestflowCache cache = RestflowCache.create(backend);
 * JavaCachedFunction<Long, String> names = cache.cached(key, Duration.ofMinutes(5), String.class, id -> repo.name(id));
 * String name = names.get(42L);
 * ```
 *
 * Thread-safe; it does not own the backend (close the backend yourself).
 */
public class RestflowCache private constructor(
    /** The backend the functions cache in. */
    public val backend: CacheBackend,
) {
    /**
     * A cached function with values of [type] encoded as JSON by kotlinx-serialization (`String`, boxed primitives,
     * `@Serializable` classes). [configure] sets further options (stale window, cacheIf, metrics).
     */
    @JvmOverloads
    public fun <Args, T : Any> cached(
        key: CacheKey<Args>,
        ttl: Duration,
        type: Class<T>,
        loader: CacheLoader<Args, T>,
        configure: Consumer<CachedFunctionConfig<T>>? = null,
    ): JavaCachedFunction<Args, T> = cached(key, ttl, CacheCodec.forClass(type), loader, configure)

    /** A cached function with values encoded by [codec]; see the [Class] overload. */
    @JvmOverloads
    public fun <Args, T> cached(
        key: CacheKey<Args>,
        ttl: Duration,
        codec: CacheCodec<T>,
        loader: CacheLoader<Args, T>,
        configure: Consumer<CachedFunctionConfig<T>>? = null,
    ): JavaCachedFunction<Args, T> {
        val function = backend.cached(key, ttl.toKotlinDuration(), codec, { configure?.accept(this) }) { args: Args ->
            runInterruptible(Dispatchers.IO) { loader.load(args) }
        }
        return JavaCachedFunction(function)
    }

    /** Factories. */
    public companion object {
        /** Cached functions over [backend]. */
        @JvmStatic
        public fun create(backend: CacheBackend): RestflowCache = RestflowCache(backend)
    }
}
