package dev.restflow.cache.function

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheLease
import dev.restflow.cache.CacheRead
import dev.restflow.cache.CacheStamp
import dev.restflow.cache.CacheUnavailableException
import dev.restflow.cache.key.CacheKey
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.withContext
import java.time.Clock
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.ContinuationInterceptor
import kotlin.time.Duration

/**
 * A function whose results are cached in a [CacheBackend] under keys from a [CacheKey]; built by
 * [dev.restflow.cache.function.cached] (Kotlin) or [dev.restflow.cache.java.RestflowCache] (Java).
 *
 * Reading ([invoke], [getWithMetadata]): a fresh entry is a [CacheStatus.HIT] (a cached `null` too); an entry past
 * its TTL but within `staleFor` is served as [CacheStatus.STALE] while one background load refreshes it; otherwise
 * the loader runs ([CacheStatus.MISS]) and its value is stored unless `cacheIf`/`cacheUnless` say no. An entry the
 * codec cannot decode (written by an older shape of the type) is a miss, never an error.
 *
 * Concurrency: concurrent misses of one key on this instance share one load (single flight), run on
 * `Dispatchers.Default` with the first caller's other context elements; a caller that is cancelled stops waiting but
 * the load goes on for the others (loaders that block must switch to `Dispatchers.IO` themselves). Across
 * instances, the first to miss takes a backend lease and the others wait (bounded) for its value. If the loader
 * throws, every waiter gets that exception and nothing is stored. The store is conditional on the stamp of the read that preceded the load, so a value loaded
 * before a concurrent [delete]/[deleteByPartition]/[invalidateAll] is never written after it.
 *
 * Failures: no cache failure escapes the read path. When the backend is down, hung or its circuit breaker is open,
 * the loader's value is returned (status MISS, [CacheResult.degraded] `true`) after at most one command timeout, and
 * nothing is written. The invalidation functions do report a failing backend with
 * [dev.restflow.cache.CacheUnavailableException], since a lost invalidation must be visible. Thread-safe.
 */
public class CachedFunction<Args, T> internal constructor(
    /** The key constructor. */
    public val key: CacheKey<Args>,
    private val backend: CacheBackend,
    private val ttl: Duration,
    private val codec: CacheCodec<T>,
    config: CachedFunctionConfig<T>,
    private val loader: suspend (Args) -> T,
) {
    private val staleFor = config.staleFor
    private val clock: Clock = config.timeSource
    private val cacheIf = config.cacheIf
    private val cacheUnless = config.cacheUnless
    private val distributedLease = config.distributedLease
    private val leaseTtl = config.leaseTtl
    private val leaseWait = config.leaseWait
    private val leasePollInterval = config.leasePollInterval
    private val metrics = FunctionMetrics(config.meterRegistry, key.namespace, key.functionId)
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private val flights = ConcurrentHashMap<String, Deferred<CacheResult<T>>>()
    private val refreshes = ConcurrentHashMap<String, Deferred<Unit>>()

    /** How many callers have started or joined a load so far; lets tests release a loader once all are waiting. */
    internal val joinedFlights = AtomicInteger()

    init {
        require(ttl.isPositive()) { "a cached function's ttl must be positive, was $ttl" }
    }

    /** The value for [args]: cached when possible, loaded otherwise. Loader exceptions propagate. */
    public suspend operator fun invoke(args: Args): T = getWithMetadata(args).value

    /** The value for [args] with its [CacheStatus] and times; see the class documentation. */
    public suspend fun getWithMetadata(args: Args): CacheResult<T> {
        val entryKey = key.entryKey(args)
        val read = readOrNull(entryKey)
        if (read == null) {
            metrics.degraded()
            return flight(entryKey) { loadUnprotected(args) }.also { metrics.request(it.status) }
        }
        val envelope = (read as? CacheRead.Hit)?.let { decode(it.value) }
        if (envelope != null) {
            val (value, env) = envelope
            val now = clock.millis()
            if (now < env.freshUntilMillis) {
                return result(value, CacheStatus.HIT, env).also { metrics.request(CacheStatus.HIT) }
            }
            if (now < env.freshUntilMillis + staleFor.inWholeMilliseconds) {
                refreshInBackground(args, entryKey, read.stamp)
                return result(value, CacheStatus.STALE, env).also { metrics.request(CacheStatus.STALE) }
            }
        }
        return flight(entryKey) { loadAndStore(args, entryKey, read.stamp) }.also { metrics.request(it.status) }
    }

    /** What is cached for [args], without loading: [CacheLookup.Found] (also for a cached `null`) or [CacheLookup.Missing]. */
    public suspend fun getCacheOnly(args: Args): CacheLookup<T> {
        val read = readOrNull(key.entryKey(args)) as? CacheRead.Hit ?: return CacheLookup.Missing
        val (value, env) = decode(read.value) ?: return CacheLookup.Missing
        if (clock.millis() >= env.freshUntilMillis + staleFor.inWholeMilliseconds) return CacheLookup.Missing
        return CacheLookup.Found(
            value, Instant.ofEpochMilli(env.cachedAtMillis), Instant.ofEpochMilli(env.freshUntilMillis),
            stale = clock.millis() >= env.freshUntilMillis,
        )
    }

    /** Runs the loader now and stores its value (status [CacheStatus.REFRESH]), whatever is cached. */
    public suspend fun refresh(args: Args): CacheResult<T> {
        val entryKey = key.entryKey(args)
        val stamp = readOrNull(entryKey)?.stamp
        val value = timedLoad(args)
        val env = if (stamp != null) store(entryKey, value, stamp) else null
        metrics.request(CacheStatus.REFRESH)
        return CacheResult(value, CacheStatus.REFRESH, env?.cachedAt(), env?.resetAt(), degraded = stamp == null)
    }

    /** Runs the loader without reading or writing the cache (status [CacheStatus.BYPASS]). */
    public suspend fun bypass(args: Args): CacheResult<T> {
        val value = timedLoad(args)
        metrics.request(CacheStatus.BYPASS)
        return CacheResult(value, CacheStatus.BYPASS, null, null, degraded = false)
    }

    /** Deletes the entry of [args]. Fails with [dev.restflow.cache.CacheUnavailableException] when the backend is down. */
    public suspend fun delete(args: Args) {
        backend.delete(key.entryKey(args))
        metrics.eviction()
    }

    /**
     * Invalidates every entry of the namespace in the partition of [args] (only its partition parts are read), also
     * entries of other functions sharing the namespace and partition parts.
     */
    public suspend fun deleteByPartition(args: Args) {
        backend.deletePartition(key.namespace, key.partition(args))
        metrics.eviction()
    }

    /** Invalidates the partition given by explicit values of the key's partition parts, see [CacheKey.partitionOf]. */
    public suspend fun deleteByPartition(values: Map<String, Any?>) {
        backend.deletePartition(key.namespace, key.partitionOf(values))
        metrics.eviction()
    }

    /** Invalidates every entry of the key's namespace (every function sharing it), in O(1). */
    public suspend fun invalidateAll() {
        backend.deleteNamespace(key.namespace)
        metrics.eviction()
    }

    /** Waits until every load and background refresh started so far has finished; for tests. */
    internal suspend fun awaitIdle() {
        (flights.values + refreshes.values).joinAll()
    }

    private suspend fun readOrNull(entryKey: CacheEntryKey): CacheRead? = try {
        backend.get(entryKey)
    } catch (e: CacheUnavailableException) {
        null
    }

    private fun decode(bytes: ByteArray): Pair<T, CacheEnvelope>? {
        val env = CacheEnvelope.parse(bytes) ?: return null
        return try {
            codec.decode(env.payload) to env
        } catch (e: Exception) {
            null
        }
    }

    private suspend fun flight(entryKey: CacheEntryKey, load: suspend () -> CacheResult<T>): CacheResult<T> {
        // the load outlives any one caller: it keeps the caller's context elements but not its Job or dispatcher
        // (a runBlocking event loop would stop running it when its caller is cancelled)
        val context = currentCoroutineContext().minusKey(Job).minusKey(ContinuationInterceptor) + Dispatchers.Default
        while (true) {
            flights[entryKey.id]?.let {
                joinedFlights.incrementAndGet()
                return it.await()
            }
            val mine = scope.async(context, start = CoroutineStart.LAZY) { load() }
            if (flights.putIfAbsent(entryKey.id, mine) == null) {
                mine.invokeOnCompletion { flights.remove(entryKey.id, mine) }
                joinedFlights.incrementAndGet()
                mine.start()
                return mine.await()
            }
            mine.cancel()
        }
    }

    private suspend fun loadUnprotected(args: Args): CacheResult<T> =
        CacheResult(timedLoad(args), CacheStatus.MISS, null, null, degraded = true)

    private suspend fun loadAndStore(args: Args, entryKey: CacheEntryKey, stamp: CacheStamp): CacheResult<T> {
        var lease: CacheLease? = null
        var writable = true
        if (distributedLease) {
            try {
                var polls = (leaseWait / leasePollInterval).toInt().coerceAtLeast(1)
                while (true) {
                    lease = backend.tryAcquireLease(entryKey, leaseTtl)
                    // another instance may have stored the value between our read and now
                    val found = readFresh(entryKey)
                    if (found != null) {
                        lease?.let { release(it) }
                        return result(found.first, CacheStatus.HIT, found.second)
                    }
                    if (lease != null || polls-- <= 0) break
                    delay(leasePollInterval)
                }
            } catch (e: CacheUnavailableException) {
                writable = false
                metrics.degraded()
            }
        }
        try {
            val value = timedLoad(args)
            val env = if (writable) store(entryKey, value, stamp) else null
            return CacheResult(value, CacheStatus.MISS, env?.cachedAt(), env?.resetAt(), degraded = !writable)
        } finally {
            lease?.let { release(it) }
        }
    }

    private suspend fun readFresh(entryKey: CacheEntryKey): Pair<T, CacheEnvelope>? {
        val found = (backend.get(entryKey) as? CacheRead.Hit)?.let { decode(it.value) } ?: return null
        return found.takeIf { clock.millis() < it.second.freshUntilMillis }
    }

    private suspend fun release(lease: CacheLease) {
        withContext(NonCancellable) {
            try {
                backend.releaseLease(lease)
            } catch (e: CacheUnavailableException) {
                // the lease lapses by its TTL
            }
        }
    }

    private fun refreshInBackground(args: Args, entryKey: CacheEntryKey, stamp: CacheStamp) {
        if (refreshes.containsKey(entryKey.id)) return
        val job = scope.async(start = CoroutineStart.LAZY) {
            try {
                val lease = if (distributedLease) backend.tryAcquireLease(entryKey, leaseTtl) ?: return@async else null
                try {
                    store(entryKey, timedLoad(args), stamp)
                } finally {
                    lease?.let { release(it) }
                }
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                // a failed background refresh keeps serving the stale value until it expires
            }
        }
        if (refreshes.putIfAbsent(entryKey.id, job) == null) {
            job.invokeOnCompletion { refreshes.remove(entryKey.id, job) }
            job.start()
        } else {
            job.cancel()
        }
    }

    private suspend fun timedLoad(args: Args): T {
        val start = System.nanoTime()
        var failed = true
        try {
            return loader(args).also { failed = false }
        } finally {
            metrics.load(System.nanoTime() - start, failed)
        }
    }

    /** Stores [value] if cacheable and the backend accepts it; returns the stored envelope or `null`. */
    private suspend fun store(entryKey: CacheEntryKey, value: T, stamp: CacheStamp): CacheEnvelope? {
        if (cacheIf?.invoke(value) == false || cacheUnless?.invoke(value) == true) return null
        val now = clock.millis()
        val env = try {
            CacheEnvelope(now, now + ttl.inWholeMilliseconds, codec.encode(value))
        } catch (e: Exception) {
            return null
        }
        val stored = try {
            backend.set(entryKey, env.toBytes(), ttl + staleFor, ifUnchangedSince = stamp)
        } catch (e: CacheUnavailableException) {
            false
        }
        return env.takeIf { stored }
    }

    private fun result(value: T, status: CacheStatus, env: CacheEnvelope) =
        CacheResult(value, status, env.cachedAt(), env.resetAt(), degraded = false)

    private fun CacheEnvelope.cachedAt(): Instant = Instant.ofEpochMilli(cachedAtMillis)
    private fun CacheEnvelope.resetAt(): Instant = Instant.ofEpochMilli(freshUntilMillis)
}
