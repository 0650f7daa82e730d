package dev.restflow.sample

import org.junit.jupiter.api.Test
import java.nio.file.Path
import java.security.SecureRandom
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

class SampleConfigTest {
    private val workDir = Path.of("/srv/shop")

    @Test
    fun `an empty environment gives the documented defaults`() {
        val config = SampleConfig.fromEnvironment(emptyMap(), workDir)

        assertEquals(8080, config.port)
        assertEquals(50, config.seedProducts)
        assertEquals("", config.databaseUser)
        assertNull(config.redisUrl)
        assertTrue(config.jwtSigningKeyGenerated)
        assertTrue(config.databaseUrl.startsWith("jdbc:h2:file:/srv/shop/data/shop;MODE=PostgreSQL;"), config.databaseUrl)
        assertFalse(config.isPostgres)
    }

    @Test
    fun `every variable is read from the environment`() {
        val config = SampleConfig.fromEnvironment(
            mapOf(
                "PORT" to "9090",
                "DATABASE_URL" to "jdbc:postgresql://127.0.0.1:5432/shop",
                "DATABASE_USER" to "shop",
                "DATABASE_PASSWORD" to "secret",
                "REDIS_URL" to "redis://127.0.0.1:6379/0",
                "RESTFLOW_JWT_SIGNING_KEY" to "k".repeat(32),
                "SAMPLE_SEED_PRODUCTS" to "1000000",
            ),
            workDir,
        )

        assertEquals(9090, config.port)
        assertEquals("jdbc:postgresql://127.0.0.1:5432/shop", config.databaseUrl)
        assertTrue(config.isPostgres)
        assertEquals("shop", config.databaseUser)
        assertEquals("secret", config.databasePassword)
        assertEquals("redis://127.0.0.1:6379/0", config.redisUrl)
        assertEquals("k".repeat(32), config.jwtSigningKey)
        assertFalse(config.jwtSigningKeyGenerated)
        assertEquals(1_000_000, config.seedProducts)
    }

    @Test
    fun `throttle rates default per SAMPLE_API and are overridden per scope`() {
        assertEquals(
            mapOf("anon" to "1000/min", "user" to "5000/min", "auth" to "20/min"),
            SampleConfig.fromEnvironment(emptyMap(), workDir).throttleRates,
        )
        val config = SampleConfig.fromEnvironment(mapOf("RESTFLOW_THROTTLE_AUTH" to "3/min"), workDir)
        assertEquals("3/min", config.throttleRates["auth"])
        assertEquals("1000/min", config.throttleRates["anon"])
        val failure = assertFailsWith<IllegalArgumentException> {
            SampleConfig.fromEnvironment(mapOf("RESTFLOW_THROTTLE_ANON" to "lots"), workDir)
        }
        assertEquals("RESTFLOW_THROTTLE_ANON must be a rate such as 100/min, got 'lots'", failure.message)
    }

    @Test
    fun `blank values count as absent`() {
        val config = SampleConfig.fromEnvironment(
            mapOf("PORT" to " ", "DATABASE_URL" to "", "REDIS_URL" to "  ", "RESTFLOW_JWT_SIGNING_KEY" to ""),
            workDir,
        )

        assertEquals(8080, config.port)
        assertTrue(config.databaseUrl.startsWith("jdbc:h2:file:"))
        assertNull(config.redisUrl)
        assertTrue(config.jwtSigningKeyGenerated)
    }

    @Test
    fun `port 0 is accepted so the system picks a free port`() {
        assertEquals(0, SampleConfig.fromEnvironment(mapOf("PORT" to "0"), workDir).port)
    }

    @Test
    fun `a generated signing key is 256 random bits and differs per start`() {
        val first = SampleConfig.fromEnvironment(emptyMap(), workDir, SecureRandom())
        val second = SampleConfig.fromEnvironment(emptyMap(), workDir, SecureRandom())

        assertEquals(43, first.jwtSigningKey.length) // 32 bytes, base64url without padding
        assertNotEquals(first.jwtSigningKey, second.jwtSigningKey)
    }

    @Test
    fun `malformed values fail with a message naming the variable`() {
        fun failure(env: Map<String, String>) =
            assertFailsWith<IllegalArgumentException> { SampleConfig.fromEnvironment(env, workDir) }.message.orEmpty()

        assertTrue("PORT" in failure(mapOf("PORT" to "eighty")))
        assertTrue("PORT" in failure(mapOf("PORT" to "70000")))
        assertTrue("SAMPLE_SEED_PRODUCTS" in failure(mapOf("SAMPLE_SEED_PRODUCTS" to "-1")))
        assertTrue("SAMPLE_SEED_PRODUCTS" in failure(mapOf("SAMPLE_SEED_PRODUCTS" to "lots")))
        assertTrue("DATABASE_URL" in failure(mapOf("DATABASE_URL" to "postgres://localhost/shop")))
    }

    @Test
    fun `toString hides the password, the signing key and Redis credentials`() {
        val text = SampleConfig.fromEnvironment(
            mapOf(
                "DATABASE_PASSWORD" to "db-secret",
                "RESTFLOW_JWT_SIGNING_KEY" to "jwt-secret",
                "REDIS_URL" to "redis://user:redis-secret@127.0.0.1:6379/0",
            ),
            workDir,
        ).toString()

        assertFalse("db-secret" in text, text)
        assertFalse("jwt-secret" in text, text)
        assertFalse("redis-secret" in text, text)
    }
}
