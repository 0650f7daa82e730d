package dev.restflow.ktor.test

import io.ktor.http.Headers
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement

/** A whole response read by [TestHttpClient]. */
public class TestResponse internal constructor(
    private val statusCode: Int,
    private val headers: Headers,
    private val text: String,
    private val path: String,
) {
    /** The status code. */
    public fun status(): Int = statusCode

    /** The first value of header [name], or `null`. */
    public fun header(name: String): String? = headers[name]

    /** The body as text. */
    public fun body(): String = text

    /** The body parsed as JSON; throws if it is not JSON. */
    public fun json(): JsonElement = Json.parseToJsonElement(text)

    /** The response cache's verdict (`X-Cache-Status`), or `null`. */
    public fun cacheStatus(): String? = headers[CACHE_STATUS_HEADER]

    /** Asserts `X-Cache-Status: HIT`; see [io.ktor.client.statement.HttpResponse.assertCacheHit]. */
    public fun assertCacheHit(): TestResponse = apply { CacheStatuses.check(cacheStatus(), "HIT", path) }

    /** Asserts `X-Cache-Status: MISS`; see [io.ktor.client.statement.HttpResponse.assertCacheMiss]. */
    public fun assertCacheMiss(): TestResponse = apply { CacheStatuses.check(cacheStatus(), "MISS", path) }

    override fun toString(): String = "TestResponse($statusCode, ${text.take(200)})"
}
