package dev.restflow.ktor.test

import io.ktor.client.statement.HttpResponse

/** The response header the response cache reports on: `HIT`, `MISS`, `STALE` or `REFRESH`. */
public const val CACHE_STATUS_HEADER: String = "X-Cache-Status"

/** The response cache's verdict on this response (`X-Cache-Status`), or `null` when the route is not cached. */
public val HttpResponse.cacheStatus: String? get() = headers[CACHE_STATUS_HEADER]

/**
 * Asserts that the response cache answered this response from a stored entry (`X-Cache-Status: HIT`) and returns it.
 *
 * @throws AssertionError otherwise, naming the status seen.
 */
public fun HttpResponse.assertCacheHit(): HttpResponse = apply { CacheStatuses.check(cacheStatus, "HIT", call.request.url.encodedPath) }

/**
 * Asserts that the response cache had no entry and the handler ran (`X-Cache-Status: MISS`) and returns the response.
 *
 * @throws AssertionError otherwise, naming the status seen.
 */
public fun HttpResponse.assertCacheMiss(): HttpResponse = apply { CacheStatuses.check(cacheStatus, "MISS", call.request.url.encodedPath) }

internal object CacheStatuses {
    fun check(actual: String?, expected: String, path: String) {
        if (actual != expected) {
            val seen = actual?.let { "X-Cache-Status: $it" } ?: "no X-Cache-Status header (is ResponseCache installed on the route?)"
            throw AssertionError("Expected a cache $expected for $path, got $seen")
        }
    }
}
