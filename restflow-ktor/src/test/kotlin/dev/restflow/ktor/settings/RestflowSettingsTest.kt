package dev.restflow.ktor.settings

import com.typesafe.config.ConfigFactory
import dev.restflow.cache.key.KeyHashAlgorithm
import io.ktor.server.config.HoconApplicationConfig
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.config.yaml.YamlConfig
import java.time.Duration
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

class RestflowSettingsTest {
    private fun hocon(text: String) = HoconApplicationConfig(ConfigFactory.parseString(text))

    private fun failures(text: String): List<String> =
        assertFailsWith<RestflowConfigurationException> { RestflowSettings.fromConfig(hocon(text)) }.problems

    @Test
    fun `defaults match drf-restflow's`() {
        val s = RestflowSettings.defaults()
        with(s.jwt) {
            assertNull(signingKey)
            assertNull(verifyingKey)
            assertEquals(JwtAlgorithm.HS256, algorithm)
            assertEquals(Duration.ofMinutes(5), accessTokenLifetime)
            assertEquals(Duration.ofDays(1), refreshTokenLifetime)
            assertNull(issuer)
            assertNull(audience)
            assertEquals("user_id", userIdClaim)
            assertEquals("id", userIdField)
            assertEquals(setOf("id", "pk", "uuid", "username", "email"), userIdFieldAllowlist)
            assertEquals(listOf("Bearer"), authHeaderTypes)
            assertTrue(blacklistEnabled)
            assertEquals(BlacklistBackend.CACHE, blacklistBackend)
            assertEquals("default", blacklistCache)
            assertEquals(false, blacklistAllowInMemory)
            assertTrue(rotateRefreshTokens)
            assertEquals(Duration.ZERO, leeway)
            assertTrue(checkUserIsActive)
            assertEquals(false, checkRevokeToken)
            assertEquals("hash_password", revokeTokenClaim)
        }
        with(s.cache) {
            assertEquals(250, maxKeySuffixLength)
            assertEquals(false, hashSuffixOnOverflow)
            assertEquals(KeyHashAlgorithm.SHA256, keyHashAlgorithm)
            assertEquals("inline", defaultDispatcher)
            assertEquals(false, dispatcherRaiseException)
            assertEquals(4, dispatchers.threadpool.maxWorkers)
            assertNull(dispatchers.inline.raiseException)
            assertEquals("restflow:invalidations", dispatchers.redisStream.stream)
            assertEquals("restflow_outbox", dispatchers.outbox.table)
        }
        assertEquals(20, s.pagination.pageSize)
        assertEquals(100, s.pagination.maxPageSize)
        assertEquals(emptyMap(), s.throttle.rates)
        assertEquals(emptyList(), s.throttle.trustedProxies)
        assertEquals(10L * 1024 * 1024, s.request.maxBodySize)
        assertEquals("X-Request-Id", s.request.idHeader)
    }

    @Test
    fun `a config without a restflow block gives the defaults`() {
        val s = RestflowSettings.fromConfig(hocon("ktor.deployment.port = 8080"))
        assertEquals(RestflowSettings.defaults().toString(), s.toString())
    }

    @Test
    fun `a partial hocon override keeps every other default`() {
        val s = RestflowSettings.fromConfig(
            hocon(
                """
                restflow {
                  jwt { signing-key = "s3cret", refresh-token-lifetime = 7d, leeway = 30s, issuer = "shop" }
                  cache { dispatchers { threadpool { max-workers = 8 }, outbox { raise-exception = true } } }
                  throttle { rates { anon = "100/min", user = "5000/day", auth = 20/m }, trusted-proxies = ["10.0.0.0/8", "::1"] }
                }
                """,
            ),
        )
        assertEquals("s3cret", s.jwt.signingKey)
        assertEquals(Duration.ofDays(7), s.jwt.refreshTokenLifetime)
        assertEquals(Duration.ofSeconds(30), s.jwt.leeway)
        assertEquals("shop", s.jwt.issuer)
        assertEquals(Duration.ofMinutes(5), s.jwt.accessTokenLifetime)
        assertEquals(JwtAlgorithm.HS256, s.jwt.algorithm)
        assertEquals(8, s.cache.dispatchers.threadpool.maxWorkers)
        assertEquals(10_000, s.cache.dispatchers.threadpool.queueCapacity)
        assertEquals(true, s.cache.dispatchers.outbox.raiseException)
        assertNull(s.cache.dispatchers.inline.raiseException)
        assertEquals(ThrottleRate.of(100, Duration.ofMinutes(1)), s.throttle.rate("anon"))
        assertEquals(ThrottleRate.of(5000, Duration.ofDays(1)), s.throttle.rate("user"))
        assertEquals(ThrottleRate.of(20, Duration.ofMinutes(1)), s.throttle.rate("auth"))
        assertEquals(listOf("10.0.0.0/8", "::1"), s.throttle.trustedProxies)
        assertEquals(20, s.pagination.pageSize)
    }

    @Test
    fun `durations accept short units, words and ISO-8601`() {
        val cases = mapOf(
            "5m" to Duration.ofMinutes(5), "1d" to Duration.ofDays(1), "PT5M" to Duration.ofMinutes(5),
            "90s" to Duration.ofSeconds(90), "2 hours" to Duration.ofHours(2), "500ms" to Duration.ofMillis(500),
            "P2D" to Duration.ofDays(2), "45" to Duration.ofSeconds(45),
        )
        for ((text, expected) in cases) {
            val s = RestflowSettings.fromConfig(hocon("restflow.jwt.access-token-lifetime = \"$text\""))
            assertEquals(expected, s.jwt.accessTokenLifetime, text)
        }
    }

    @Test
    fun `yaml is read like hocon`() {
        val s = RestflowSettings.fromConfig(YamlConfig("settings/partial.yaml")!!)
        assertEquals("yaml-secret", s.jwt.signingKey)
        assertEquals(Duration.ofMinutes(10), s.jwt.accessTokenLifetime)
        assertEquals(listOf("Bearer", "JWT"), s.jwt.authHeaderTypes)
        assertEquals(50, s.pagination.pageSize)
        assertEquals(100, s.pagination.maxPageSize)
        assertEquals(ThrottleRate.parse("3/min"), s.throttle.rate("anon"))
        assertEquals(ThrottleRate.of(10, Duration.ofHours(1)), s.throttle.rate("uploads"))
    }

    @Test
    fun `yaml errors name the full key path`() {
        val problems = assertFailsWith<RestflowConfigurationException> {
            RestflowSettings.fromConfig(YamlConfig("settings/invalid.yaml")!!)
        }.problems
        assertTrue(problems.any { it.startsWith("restflow.jwt.algorithm: 'none' is not a valid choice; valid choices: HS256") }, "$problems")
        assertTrue(problems.any { it.startsWith("restflow.jwt.leeway: expected a duration") }, "$problems")
        assertTrue(problems.any { it.startsWith("restflow.pagination.page-sise: unknown key; valid keys: page-size, max-page-size") }, "$problems")
        assertEquals(3, problems.size, "$problems")
    }

    @Test
    fun `map configs as used by testApplication are read`() {
        val config = MapApplicationConfig(
            "restflow.pagination.page-size" to "5",
            "restflow.jwt.blacklist-enabled" to "false",
            "restflow.jwt.auth-header-types" to "Bearer, Token",
        )
        val s = RestflowSettings.fromConfig(config)
        assertEquals(5, s.pagination.pageSize)
        assertEquals(false, s.jwt.blacklistEnabled)
        assertEquals(listOf("Bearer", "Token"), s.jwt.authHeaderTypes)
    }

    @Test
    fun `an unknown key fails naming its path and the valid keys`() {
        val problems = failures("restflow { jwt { signing-kee = x } }")
        assertEquals(1, problems.size)
        assertTrue(problems[0].startsWith("restflow.jwt.signing-kee: unknown key; valid keys: signing-key, verifying-key, algorithm"), problems[0])
        assertTrue(failures("restflow { cahce { } }").single().startsWith("restflow.cahce: unknown key; valid keys: jwt, cache, pagination, throttle, request"))
        assertTrue(failures("restflow.cache.dispatchers.kafka.raise-exception = true").single().startsWith("restflow.cache.dispatchers.kafka: unknown key"))
    }

    @Test
    fun `a wrong type fails naming its path`() {
        assertEquals(listOf("restflow.pagination.page-size: expected an integer, got 'twenty'"), failures("restflow.pagination.page-size = twenty"))
        assertEquals(listOf("restflow.jwt.rotate-refresh-tokens: expected true or false, got 'maybe'"), failures("restflow.jwt.rotate-refresh-tokens = maybe"))
        assertEquals(listOf("restflow.jwt: expected an object, got 'yes'"), failures("restflow.jwt = yes"))
        assertEquals(listOf("restflow.jwt.issuer: expected a string, got an object"), failures("restflow.jwt.issuer { a = 1 }"))
        assertEquals(listOf("restflow.jwt.access-token-lifetime: expected ${ConfigValues.DURATION_FORMS}, got '5 fortnights'"), failures("restflow.jwt.access-token-lifetime = \"5 fortnights\""))
    }

    @Test
    fun `invalid values fail with the valid choices`() {
        assertEquals(
            listOf("restflow.jwt.algorithm: 'none' is not a valid choice; valid choices: HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512"),
            failures("restflow.jwt.algorithm = none"),
        )
        assertEquals(
            listOf("restflow.jwt.user-id-field: 'password' is not in user-id-field-allowlist; valid choices: id, pk, uuid, username, email"),
            failures("restflow.jwt.user-id-field = password"),
        )
        assertEquals(
            listOf("restflow.cache.default-dispatcher: 'celery' is not a valid choice; valid choices: inline, threadpool, coroutine, redis-stream, outbox"),
            failures("restflow.cache.default-dispatcher = celery"),
        )
        assertEquals(listOf("restflow.cache.key-hash-algorithm: 'crc32' is not a valid choice; valid choices: sha256, sha512, blake2b, md5"), failures("restflow.cache.key-hash-algorithm = crc32"))
        assertEquals(listOf("restflow.throttle.rates.anon: 'lots' is not a throttle rate; write N/period with period one of s, min, hour, day (e.g. 100/min)"), failures("restflow.throttle.rates.anon = lots"))
        assertEquals(listOf("restflow.throttle.trusted-proxies: '10.0.0.0/33' is not an IP address or CIDR block"), failures("restflow.throttle.trusted-proxies = [\"10.0.0.0/33\"]"))
        assertEquals(listOf("restflow.pagination.page-size: 500 is larger than max-page-size 100"), failures("restflow.pagination.page-size = 500"))
        assertEquals(listOf("restflow.jwt.access-token-lifetime: must be a positive duration, got PT0S"), failures("restflow.jwt.access-token-lifetime = 0s"))
    }

    @Test
    fun `every problem is reported at once`() {
        val problems = failures("restflow { jwt { algorithm = none, leeway = never }, pagination { page-size = 0 }, bogus = 1 }")
        assertEquals(4, problems.size, "$problems")
        assertTrue(problems.any { it.startsWith("restflow.pagination.page-size: must be at least 1") }, "$problems")
    }

    @Test
    fun `a PEM key with an HMAC algorithm and a secret with RS256 are refused`() {
        val pem = "-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----"
        assertTrue(failures("restflow.jwt.signing-key = \"$pem\"").single().startsWith("restflow.jwt.signing-key: a PEM key cannot be used with HS256"))
        assertTrue(failures("restflow.jwt { algorithm = RS256, signing-key = plain-secret }").single().startsWith("restflow.jwt.signing-key: RS256 needs a PEM private key"))
    }

    @Test
    fun `code overrides apply on top of the config and validate`() {
        val b = RestflowSettings.builder().applyConfig(hocon("restflow.pagination { page-size = 30, max-page-size = 60 }"))
        b.pagination { pageSize = 40 }
        b.throttle { rate("anon", "7/s") }
        val s = b.build()
        assertEquals(40, s.pagination.pageSize)
        assertEquals(60, s.pagination.maxPageSize)
        assertEquals(ThrottleRate.of(7, Duration.ofSeconds(1)), s.throttle.rate("anon"))
        val derived = s.toBuilder().apply { jwt { leeway = Duration.ofSeconds(5) } }.build()
        assertEquals(Duration.ofSeconds(5), derived.jwt.leeway)
        assertEquals(40, derived.pagination.pageSize)
        assertFailsWith<RestflowConfigurationException> { s.toBuilder().apply { pagination { pageSize = 61 } }.build() }
    }

    @Test
    fun `signing keys never appear in toString`() {
        val s = RestflowSettings.builder().apply { jwt { signingKey = "top-secret-value" } }.build()
        assertTrue("top-secret-value" !in s.toString())
    }
}

class ConfigKeysTest {
    @Test
    fun `config keys list every key path the reader accepts`() {
        val keys = RestflowSettings.configKeys()
        assertEquals(keys.distinct(), keys)
        listOf(
            "restflow.jwt.signing-key", "restflow.jwt.revoke-token-claim", "restflow.jwt.blacklist-fail-open", "restflow.jwt.blacklist-near-cache", "restflow.cache.key-hash-algorithm",
            "restflow.cache.dispatchers.threadpool.max-workers", "restflow.cache.dispatchers.outbox.poll-interval",
            "restflow.cache.dispatchers.inline.raise-exception", "restflow.pagination.max-page-size",
            "restflow.throttle.rates", "restflow.throttle.trusted-proxies", "restflow.request.max-body-size",
        ).forEach { assertTrue(it in keys, "$it missing from $keys") }
        // jwt 23, cache 9, dispatchers 16 (inline 1, threadpool 3, coroutine 1, redis-stream 6, outbox 5), pagination 2, throttle 2, request 3
        assertEquals(55, keys.size, "$keys")
    }
}
