package dev.restflow.benchmarks

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.cache.ResponseCache
import io.ktor.http.ContentType
import io.ktor.server.application.install
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.connector
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.netty.NettyApplicationEngine
import io.ktor.server.response.respondBytes
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.lettuce.core.RedisClient
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.codec.ByteArrayCodec
import kotlinx.coroutines.future.await
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * The application of the response-cache benchmarks, served by Ktor on Netty over real sockets and called with the
 * JDK's HTTP client (one per application, keep-alive). The Restflow cache is the Redis at [redisUrl]; with [l1Ttl]
 * it is the two-tier backend (an in-process L1 in front of that Redis).
 *
 * Routes, all answering the same [BODY] as `application/json`:
 * - `/cached` behind `ResponseCache` (TTL 1 hour): after the first call every call is a hit;
 * - `/raw`: one Lettuce `GET` (the application's own connection to the same Redis) of the same bytes, stored at start;
 * - `/constant`: the bytes from memory.
 */
public class CacheApp @JvmOverloads constructor(redisUrl: String, l1Ttl: Duration? = null) : AutoCloseable {
    private val lettuce: RedisClient = RedisClient.create(redisUrl)
    private val raw: StatefulRedisConnection<ByteArray, ByteArray> = lettuce.connect(ByteArrayCodec.INSTANCE)

    private val server: EmbeddedServer<NettyApplicationEngine, NettyApplicationEngine.Configuration> = embeddedServer(
        Netty,
        configure = { connector { host = "127.0.0.1"; port = 0 } },
        module = {
            install(Restflow) {
                settings {
                    cache {
                        url = redisUrl
                        this.l1Ttl = l1Ttl
                    }
                }
            }
            routing {
                route("/cached") {
                    install(ResponseCache) { ttl = Duration.ofHours(1) }
                    get { call.respondBytes(BODY, ContentType.Application.Json) }
                }
                get("/raw") {
                    val bytes = checkNotNull(raw.async().get(RAW_KEY).await()) { "the raw key is missing from Redis" }
                    call.respondBytes(bytes, ContentType.Application.Json)
                }
                get("/constant") { call.respondBytes(BODY, ContentType.Application.Json) }
            }
        },
    )

    private val port: Int
    private val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

    init {
        raw.sync().set(RAW_KEY, BODY)
        server.start(wait = false)
        port = kotlinx.coroutines.runBlocking { server.engine.resolvedConnectors().first().port }
    }

    /** GETs [path]; anything but 200 with [BODY] is an error, so a refusal or a wrong answer is never measured. */
    public fun get(path: String): ByteArray {
        val response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port$path")).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
        check(response.statusCode() == 200) { "GET $path answered ${response.statusCode()}" }
        return response.body()
    }

    /** The `X-Cache-Status` of a GET of [path], for the set-up checks. */
    public fun cacheStatus(path: String): String? =
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port$path")).GET().build(), HttpResponse.BodyHandlers.discarding())
            .headers().firstValue("X-Cache-Status").orElse(null)

    /** Warms `/cached` and fails unless it is then a hit and every route answers exactly [BODY]. */
    public fun checkAnswers(vararg paths: String) {
        get("/cached")
        check(cacheStatus("/cached") == "HIT") { "/cached is not served from the cache" }
        for (path in paths) check(get(path).contentEquals(BODY)) { "$path does not answer the body" }
    }

    override fun close() {
        server.stop(0, 2_000)
        raw.close()
        lettuce.shutdown()
    }

    public companion object {
        private val RAW_KEY = "bench:raw-body".toByteArray()

        /** A product as JSON, about 400 bytes. */
        @JvmField
        public val BODY: ByteArray = (
            """{"id":42,"name":"Benchmark product","description":"A product whose JSON is about four hundred bytes """ +
                """long, like a small retrieve.","price":"19.99","currency":"EUR","stock":120,"active":true,""" +
                """"category":{"id":3,"name":"Tools"},"tags":["cache","redis","ktor"],"created_at":""" +
                """"2026-12-03T10:00:00Z","updated_at":"2026-12-03T10:00:00Z"}"""
            ).toByteArray()
    }
}
