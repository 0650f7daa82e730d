package dev.restflow.cache.java

import dev.restflow.cache.function.CacheLookup
import dev.restflow.cache.function.CacheResult
import dev.restflow.cache.function.CachedFunction
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.future.future
import kotlinx.coroutines.runBlocking
import java.util.concurrent.CompletableFuture

/**
 * The Java view of a [CachedFunction]: blocking and [CompletableFuture] variants of its operations, with the same
 * behaviour (see [CachedFunction]). The blocking variants park the calling thread; do not call them from a coroutine
 * or an event-loop thread. Loader exceptions are rethrown by the blocking variants and complete the futures
 * exceptionally. Thread-safe.
 */
public class JavaCachedFunction<Args, T> internal constructor(
    private val function: CachedFunction<Args, T>,
) {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    /** The Kotlin function behind this view. */
    public fun asKotlin(): CachedFunction<Args, T> = function

    /** The value for [args], cached or loaded; blocks. */
    public fun get(args: Args): T = runBlocking { function(args) }

    /** The value for [args], cached or loaded, without blocking. */
    public fun getAsync(args: Args): CompletableFuture<T> = scope.future { function(args) }

    /** The value with its status and times; blocks. */
    public fun getWithMetadata(args: Args): CacheResult<T> = runBlocking { function.getWithMetadata(args) }

    /** What is cached for [args], without loading; blocks. */
    public fun getCacheOnly(args: Args): CacheLookup<T> = runBlocking { function.getCacheOnly(args) }

    /** Reloads and stores the value (status REFRESH); blocks. */
    public fun refresh(args: Args): CacheResult<T> = runBlocking { function.refresh(args) }

    /** Loads without the cache (status BYPASS); blocks. */
    public fun bypass(args: Args): CacheResult<T> = runBlocking { function.bypass(args) }

    /** Deletes the entry of [args]; blocks. Throws [dev.restflow.cache.CacheUnavailableException] when the backend is down. */
    public fun delete(args: Args): Unit = runBlocking { function.delete(args) }

    /** Deletes the entry of [args] without blocking. */
    public fun deleteAsync(args: Args): CompletableFuture<Unit> = scope.future { function.delete(args) }

    /** Invalidates the partition given by values of the key's partition parts; blocks. */
    public fun deleteByPartition(values: Map<String, Any?>): Unit = runBlocking { function.deleteByPartition(values) }

    /** Invalidates every entry of the key's namespace; blocks. */
    public fun invalidateAll(): Unit = runBlocking { function.invalidateAll() }

    /** Invalidates every entry of the key's namespace without blocking. */
    public fun invalidateAllAsync(): CompletableFuture<Unit> = scope.future { function.invalidateAll() }
}
