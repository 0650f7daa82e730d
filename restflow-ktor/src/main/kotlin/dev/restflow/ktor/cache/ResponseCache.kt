package dev.restflow.ktor.cache

import dev.restflow.ktor.restflowKey
import dev.restflow.RestflowDsl
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheLease
import dev.restflow.cache.CacheRead
import dev.restflow.cache.CacheStamp
import dev.restflow.ktor.auth.RestflowPrincipal
import dev.restflow.ktor.restflow
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.content.ByteArrayContent
import io.ktor.http.content.OutgoingContent
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.RouteScopedPlugin
import io.ktor.server.application.createRouteScopedPlugin
import io.ktor.server.application.hooks.ResponseBodyReadyForSend
import io.ktor.server.auth.AuthenticationChecked
import io.ktor.server.auth.UserIdPrincipal
import io.ktor.server.auth.principal
import io.ktor.server.request.httpMethod
import io.ktor.server.request.path
import io.ktor.server.response.respond
import io.ktor.util.AttributeKey
import io.micrometer.core.instrument.MeterRegistry
import org.slf4j.LoggerFactory
import java.security.MessageDigest
import java.time.Duration
import java.time.Instant
import java.util.HexFormat

private val LOG = LoggerFactory.getLogger("dev.restflow.ktor.cache.ResponseCache")

private class PendingStore(val key: CacheEntryKey, val stamp: CacheStamp, val lease: CacheLease?)

private val Pending = restflowKey<PendingStore>("restflow.responseCache.pending")

/** Headers never stored with a response: per-request, hop-by-hop, or set again when serving. */
private val NOT_STORED = setOf(
    HttpHeaders.ContentLength, HttpHeaders.TransferEncoding, HttpHeaders.Connection, HttpHeaders.Date,
    HttpHeaders.ETag, HttpHeaders.Age, "X-Request-Id", "X-Cache-Status", "X-Cached-At", "X-Cache-Reset-At",
).map { it.lowercase() }.toSet()

/**
 * Caches the responses of GET and HEAD requests to the routes it is installed on, in the application's Restflow
 * cache backend: `route("/products/{id}") { install(ResponseCache) { ttl = Duration.ofMinutes(5) }; get { … } }`.
 *
 * - **Key**: the URL as the client addressed it (scheme, host, port — through `X-Forwarded-*` when Ktor's
 *   forwarded-headers plugin is installed — and path), the query parameters sorted (so `?a=1&b=2` and `?b=2&a=1` share an entry), the `Accept` header
 *   and [ResponseCacheConfig.varyHeaders], and on authenticated calls the principal. A call that carries
 *   `Authorization` or `Cookie` but no principal Restflow can key by is not cached.
 * - **What is stored**: 2xx responses with a body in memory (not streams), without `Set-Cookie` and without
 *   `Cache-Control: no-store` or `private`; errors are never cached. Writes are conditional on the read's stamp, so
 *   a response computed before a concurrent invalidation is not stored after it.
 * - **Headers**: `X-Cache-Status: HIT|MISS|STALE|REFRESH`, `X-Cached-At`, `X-Cache-Reset-At`, `Age` on hits, and an `ETag`; a request
 *   whose `If-None-Match` matches a cached entry gets `304 Not Modified` before the handler runs.
 * - **Invalidation**: entries live in namespace [ResponseCacheConfig.namespace] under the partition given by
 *   [ResponseCacheConfig.partition], so `cache.deletePartition(namespace, partition)` evicts them.
 * - **Stale entries**: with [ResponseCacheConfig.staleFor], an entry past its TTL is served as `STALE` while one
 *   caller refreshes it.
 * - **Outages**: a failing cache backend is logged and bypassed; the handler answers.
 */
public val ResponseCache: RouteScopedPlugin<ResponseCacheConfig> =
    createRouteScopedPlugin("RestflowResponseCache", ::ResponseCacheConfig) {
        val config = pluginConfig
        val ttl = config.ttl
        require(!ttl.isZero && !ttl.isNegative) { "ResponseCache ttl must be positive, got $ttl" }
        require(!config.staleFor.isNegative) { "ResponseCache staleFor must not be negative, got ${config.staleFor}" }
        if (config.meterRegistry == null) config.meterRegistry = application.attributes.getOrNull(dev.restflow.ktor.RestflowContextKey)?.meterRegistry
        val metrics = config.metrics

        // After authentication, so the principal is known when the key is built.
        on(AuthenticationChecked) { call ->
            val method = call.request.httpMethod
            if (method != HttpMethod.Get && method != HttpMethod.Head) return@on
            val key = keyOf(call, config) ?: return@on
            val backend = call.application.restflow.cache
            val read = try {
                backend.get(key)
            } catch (e: Exception) {
                LOG.warn("Response cache read failed, answering without the cache: {}", e.toString())
                metrics.request("bypass")
                metrics.degraded()
                return@on
            }
            var lease: CacheLease? = null
            if (read is CacheRead.Hit) {
                val cached = CachedResponse.decode(read.value)
                if (cached != null) {
                    val softExpiry = cached.cachedAtMillis + ttl.toMillis()
                    if (call.application.restflow.clock.millis() < softExpiry) {
                        metrics.request("hit")
                        serve(call, cached, "HIT", Instant.ofEpochMilli(softExpiry), config)
                        return@on
                    }
                    // Past the soft TTL, within staleFor: one caller refreshes under a lease, the others get STALE.
                    lease = try {
                        backend.tryAcquireLease(key, refreshLeaseTtl(config))
                    } catch (e: Exception) {
                        LOG.warn("Response cache lease failed, serving the stale entry: {}", e.toString())
                        null
                    }
                    if (lease == null) {
                        metrics.request("stale")
                        serve(call, cached, "STALE", Instant.ofEpochMilli(softExpiry), config)
                        return@on
                    }
                }
            }
            call.attributes.put(Pending, PendingStore(key, read.stamp, lease))
            metrics.request(if (lease != null) "refresh" else "miss")
            if (config.statusHeaders) call.response.headers.append("X-Cache-Status", if (lease != null) "REFRESH" else "MISS")
        }

        on(ResponseBodyReadyForSend) { call, content ->
            val pending = call.attributes.getOrNull(Pending) ?: return@on
            call.attributes.remove(Pending)
            try {
                store(call, content, pending, config)
            } finally {
                pending.lease?.let { lease ->
                    try {
                        call.application.restflow.cache.releaseLease(lease)
                    } catch (e: Exception) {
                        LOG.warn("Response cache lease release failed (it expires by itself): {}", e.toString())
                    }
                }
            }
        }
    }

private fun refreshLeaseTtl(config: ResponseCacheConfig): kotlin.time.Duration =
    minOf(config.staleFor, Duration.ofSeconds(30)).toKotlin()

/** Stores a 2xx in-memory response the handler produced for a pending MISS or REFRESH, if it may be cached. */
private suspend fun store(call: ApplicationCall, content: OutgoingContent, pending: PendingStore, config: ResponseCacheConfig) {
    val metrics = config.metrics
    val status = content.status ?: call.response.status() ?: HttpStatusCode.OK
    if (status.value !in 200..299 || content !is OutgoingContent.ByteArrayContent) return
    val headers = call.response.headers.allValues().entries().flatMap { (name, values) -> values.map { name to it } } +
        content.headers.entries().flatMap { (name, values) -> values.map { name to it } }
    if (headers.any { (name, value) -> notCacheable(name, value) }) return
    val body = content.bytes()
    val stored = headers.filter { it.first.lowercase() !in NOT_STORED } +
        listOfNotNull(content.contentType?.let { HttpHeaders.ContentType to it.toString() })
    val etag = etagOf(body)
    val now = call.application.restflow.clock.millis()
    val entry = CachedResponse(status.value, stored.distinct(), body, now, etag)
    call.response.headers.append(HttpHeaders.ETag, etag)
    try {
        val lifetime = config.ttl.plus(config.staleFor).toKotlin()
        call.application.restflow.cache.set(pending.key, entry.encode(), lifetime, ifUnchangedSince = pending.stamp)
    } catch (e: Exception) {
        LOG.warn("Response cache write failed: {}", e.toString())
        metrics.degraded()
    }
}

private fun notCacheable(name: String, value: String): Boolean {
    if (name.equals(HttpHeaders.SetCookie, ignoreCase = true)) return true
    if (!name.equals(HttpHeaders.CacheControl, ignoreCase = true)) return false
    val directives = value.lowercase().split(',').map { it.trim() }
    return "no-store" in directives || "private" in directives
}

private suspend fun serve(
    call: ApplicationCall,
    cached: CachedResponse,
    status: String,
    expiresAt: Instant,
    config: ResponseCacheConfig,
) {
    val headers = call.response.headers
    if (config.statusHeaders) {
        val cachedAt = Instant.ofEpochMilli(cached.cachedAtMillis)
        headers.append("X-Cache-Status", status)
        headers.append("X-Cached-At", cachedAt.toString())
        headers.append("X-Cache-Reset-At", expiresAt.toString())
        val now = call.application.restflow.clock.instant()
        headers.append(HttpHeaders.Age, Duration.between(cachedAt, now).seconds.coerceAtLeast(0).toString())
    }
    headers.append(HttpHeaders.ETag, cached.etag)
    val ifNoneMatch = call.request.headers[HttpHeaders.IfNoneMatch]
    if (ifNoneMatch != null && ifNoneMatch.split(',').any { it.trim() == cached.etag || it.trim() == "*" }) {
        call.respond(HttpStatusCode.NotModified)
        return
    }
    var contentType: ContentType? = null
    for ((name, value) in cached.headers) {
        if (name.equals(HttpHeaders.ContentType, ignoreCase = true)) {
            contentType = ContentType.parse(value)
        } else if (value !in headers.values(name)) {
            headers.append(name, value)
        }
    }
    call.respond(ByteArrayContent(cached.body, contentType, HttpStatusCode.fromValue(cached.status)))
}

private fun keyOf(call: ApplicationCall, config: ResponseCacheConfig): CacheEntryKey? {
    val principal = principalId(call)
    if (principal == null) {
        val request = call.request.headers
        if (request.contains(HttpHeaders.Authorization) || request.contains(HttpHeaders.Cookie)) return null
    }
    val canonical = buildString {
        // scheme, host and port too: bodies may hold absolute links built from them (pagination), and a forged Host
        // must never fill an entry that others are served
        append(dev.restflow.ktor.view.Pages.absoluteUrl(call))
        append('\u0000')
        call.request.queryParameters.entries().sortedBy { it.key }.forEach { (name, values) ->
            values.sorted().forEach { append(name).append('=').append(it).append('&') }
        }
        (listOf(HttpHeaders.Accept) + config.varyHeaders).forEach { name ->
            append('\u0000').append(name.lowercase()).append(':').append(call.request.headers.getAll(name).orEmpty().joinToString(","))
        }
        append('\u0000').append(principal ?: "")
    }
    val id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.toByteArray()))
    val partition = config.partition?.invoke(call).orEmpty()
    return CacheEntryKey.of(config.namespace, id, partition)
}

internal fun principalId(call: ApplicationCall): String? {
    call.principal<RestflowPrincipal>()?.let { return "user:" + it.user.id }
    call.principal<UserIdPrincipal>()?.let { return "name:" + it.name }
    return null
}

private fun etagOf(body: ByteArray): String =
    "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16) + "\""

private fun Duration.toKotlin(): kotlin.time.Duration = kotlin.time.Duration.parseIsoString(toString())

/** Configuration of [ResponseCache]. */
@RestflowDsl
public class ResponseCacheConfig internal constructor() {
    /** How long an entry lives (default 5 minutes). */
    public var ttl: Duration = Duration.ofMinutes(5)

    /** The cache namespace of the entries (default `responses`), the unit of `deleteNamespace`. */
    public var namespace: String = "responses"

    /** Request headers besides `Accept` whose values are part of the key (e.g. `Accept-Language`). */
    public var varyHeaders: List<String> = emptyList()

    /** Whether `X-Cache-Status`, `X-Cached-At`, `X-Cache-Reset-At` and `Age` are sent (default true). */
    public var statusHeaders: Boolean = true

    /**
     * How long after [ttl] an entry may still be served (default zero: never). In that window the first caller
     * refreshes the entry under a lease (`X-Cache-Status: REFRESH`: its handler runs and the new response is stored)
     * while concurrent callers get the old one at once with `X-Cache-Status: STALE`; if the refreshing handler
     * fails, callers keep getting the stale entry until the lease (at most 30 seconds) lapses and another refresh is
     * tried.
     */
    public var staleFor: Duration = Duration.ZERO

    /**
     * Where the counters go (default: the `Restflow` plugin's `meterRegistry`, if any): `restflow.response_cache.requests` tagged `namespace` and `status`
     * (`hit`, `miss`, `stale`, `refresh`, `bypass`) and `restflow.response_cache.degraded` (backend failures, when
     * the cache was bypassed or a write was lost).
     */
    public var meterRegistry: MeterRegistry? = null
        set(value) {
            field = value
            metricsCache = null
        }

    private var metricsCache: ResponseCacheMetrics? = null

    internal val metrics: ResponseCacheMetrics
        get() = metricsCache ?: ResponseCacheMetrics(meterRegistry, namespace).also { metricsCache = it }

    internal var partition: ((ApplicationCall) -> String?)? = null

    /** The partition of a call's entry, e.g. `{ it.parameters["id"] }`, so one product's entries can be evicted. */
    public fun partition(of: (ApplicationCall) -> String?) {
        partition = of
    }
}
