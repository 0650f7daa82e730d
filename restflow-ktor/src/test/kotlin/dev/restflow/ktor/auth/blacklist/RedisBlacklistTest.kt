package dev.restflow.ktor.auth.blacklist

import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.ktor.auth.AuthTestApp
import dev.restflow.ktor.auth.access
import dev.restflow.ktor.auth.assertError
import dev.restflow.ktor.auth.assertOk
import dev.restflow.ktor.auth.json
import io.lettuce.core.RedisClient
import kotlin.test.assertTrue
import dev.restflow.ktor.auth.refresh
import dev.restflow.testing.TestServices
import io.ktor.http.HttpStatusCode
import kotlinx.coroutines.runBlocking
import kotlin.test.Test
import kotlin.test.assertEquals

class RedisCacheTokenBlacklistTest : TokenBlacklistContract() {
    private val backend by lazy { RedisCacheBackend.builder(TestServices.redisUri()).clock(clock).build() }
    override fun blacklist(): TokenBlacklist = CacheTokenBlacklist(backend, clock)

    /** Redis expires keys on its own clock: check the TTL it was given instead of advancing time. */
    @Test
    override fun `R-09 an entry expires with its token`() = runBlocking {
        val id = "jti:ttl-" + java.util.UUID.randomUUID()
        blacklist().add(id, clock.instant().plusSeconds(60))
        val client = RedisClient.create(TestServices.redisUri())
        try {
            client.connect().use { c ->
                val keys = c.sync().keys("*$id*")
                assertTrue(keys.isNotEmpty(), "no key for $id")
                keys.forEach { val ttl = c.sync().ttl(it); assertTrue(ttl in 1..60, "ttl of $it is $ttl") }
            }
        } finally {
            client.shutdown()
        }
    }

    @Test
    override fun `a user's revoked-before instant is kept, replaced and expires`() = runBlocking {
        val b = blacklist()
        val user = java.util.UUID.randomUUID().toString()
        b.revokeUserTokens(user, clock.instant(), clock.instant().plusSeconds(60))
        assertEquals(clock.instant(), b.userTokensRevokedBefore(user))
    }
}

class RedisBlacklistTest {
    private fun redisConfig(url: String, vararg extra: Pair<String, String>) =
        mapOf("restflow.cache.url" to url, "restflow.jwt.blacklist-allow-in-memory" to "false") + extra

    @Test
    fun `R-09 a logout on one instance holds on another sharing Redis`() = runBlocking {
        val config = redisConfig(TestServices.redisUri())
        AuthTestApp(config = config).use { a ->
            AuthTestApp(config = config).use { b ->
                val pair = a.login()
                b.me(pair.access).assertOk("alice")
                assertEquals(
                    HttpStatusCode.NoContent,
                    a.post("/api/auth/token/blacklist", """{"refresh":"${pair.refresh}"}""").status,
                )
                b.me(pair.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
                b.refresh(pair.refresh).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
            }
        }
    }

    @Test
    fun `R-08 reuse detected on another instance revokes the family everywhere`() = runBlocking {
        val config = redisConfig(TestServices.redisUri())
        AuthTestApp(config = config).use { a ->
            AuthTestApp(config = config).use { b ->
                val first = a.login()
                val second = a.refresh(first.refresh).also { it.assertOk() }.json()
                b.refresh(first.refresh).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
                a.me(second.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
            }
        }
    }

    /** `cmdstat_evalsha` calls of [server] so far: every blacklist lookup that reaches Redis is one script call. */
    private fun scriptCalls(server: dev.restflow.testing.RedisServerHandle): Long {
        val client = RedisClient.create(server.uri)
        try {
            return client.connect().use { c ->
                c.sync().info("commandstats").lines().firstOrNull { it.startsWith("cmdstat_evalsha:") }
                    ?.substringAfter("calls=")?.substringBefore(',')?.toLong() ?: 0L
            }
        } finally {
            client.shutdown()
        }
    }

    @Test
    fun `with blacklist-near-cache, checked tokens cost no round trip and a logout elsewhere still takes effect`() = runBlocking {
        TestServices.newRedisServer().use { server ->
            val config = redisConfig(server.uri, "restflow.jwt.blacklist-near-cache" to "true")
            AuthTestApp(config = config).use { a ->
                AuthTestApp(config = config).use { b ->
                    val pair = a.login()
                    // once the announcements are flowing (they arrive asynchronously), a round of 20 requests with a
                    // checked token costs no blacklist lookup in Redis: the first check was kept in process
                    val ready = kotlinx.coroutines.withTimeoutOrNull(5_000) {
                        while (true) {
                            b.me(pair.access).assertOk("alice")
                            val before = scriptCalls(server)
                            repeat(20) { b.me(pair.access).assertOk("alice") }
                            if (scriptCalls(server) == before) break
                            kotlinx.coroutines.delay(20)
                        }
                        true
                    }
                    assertEquals(true, ready, "B never answered 20 requests with a checked token without asking Redis")

                    assertEquals(HttpStatusCode.NoContent, a.post("/api/auth/token/blacklist", """{"refresh":"${pair.refresh}"}""").status)
                    // A recorded it: A refuses at once; B once Redis's announcement has arrived
                    a.me(pair.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
                    val refused = kotlinx.coroutines.withTimeoutOrNull(5_000) {
                        while (b.me(pair.access).status != HttpStatusCode.Unauthorized) kotlinx.coroutines.delay(5)
                        true
                    }
                    assertEquals(true, refused, "B kept accepting a token logged out on A")
                    b.me(pair.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
                }
            }
        }
    }

    @Test
    fun `R-10 a frozen Redis fails closed with 503 within the bound, and recovers`() = runBlocking {
        TestServices.newRedisServer().use { server ->
            AuthTestApp(config = redisConfig(server.uri, "restflow.jwt.blacklist-timeout" to "200ms")).use { app ->
                val pair = app.login()
                server.freeze()
                try {
                    app.me(pair.access).assertError(HttpStatusCode.ServiceUnavailable, "service_unavailable")
                    app.refresh(pair.refresh).assertError(HttpStatusCode.ServiceUnavailable, "service_unavailable")
                } finally {
                    server.thaw()
                }
            }
        }
    }

    @Test
    fun `R-10 a stopped Redis fails closed, and fail-open accepts unchecked tokens`() = runBlocking {
        TestServices.newRedisServer().use { server ->
            AuthTestApp(config = redisConfig(server.uri)).use { closed ->
                AuthTestApp(config = redisConfig(server.uri, "restflow.jwt.blacklist-fail-open" to "true")).use { open ->
                    val pair = closed.login()
                    server.stop()
                    closed.me(pair.access).assertError(HttpStatusCode.ServiceUnavailable, "service_unavailable")
                    open.me(pair.access).assertOk("alice")
                    // a revocation is never dropped, even with fail-open
                    open.refresh(pair.refresh).assertError(HttpStatusCode.ServiceUnavailable, "service_unavailable")
                }
            }
        }
    }
}
