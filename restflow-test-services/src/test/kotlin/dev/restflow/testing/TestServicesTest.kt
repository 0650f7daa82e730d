package dev.restflow.testing

import io.lettuce.core.Consumer
import io.lettuce.core.RedisClient
import io.lettuce.core.XReadArgs
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue

class TestServicesTest {
    @Test
    fun `postgres answers a trigram similarity query`() {
        TestServices.newPostgresDatabase().connect().use { c ->
            c.createStatement().use { st ->
                st.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                st.execute("CREATE TABLE words (w text)")
                st.execute("INSERT INTO words VALUES ('restflow'), ('ktor'), ('exposed')")
                val rs = st.executeQuery("SELECT w FROM words WHERE w % 'restflwo' ORDER BY similarity(w, 'restflwo') DESC")
                val found = generateSequence { if (rs.next()) rs.getString(1) else null }.toList()
                assertEquals(listOf("restflow"), found)
            }
        }
    }

    @Test
    fun `postgres answers a full-text query`() {
        TestServices.newPostgresDatabase().connect().use { c ->
            c.createStatement().use { st ->
                st.execute("CREATE TABLE docs (id int, body text)")
                st.execute("INSERT INTO docs VALUES (1, 'The quick brown foxes jumped'), (2, 'A lazy dog slept')")
                val rs = st.executeQuery(
                    "SELECT id FROM docs WHERE to_tsvector('english', body) @@ plainto_tsquery('english', 'fox jumping')",
                )
                val ids = generateSequence { if (rs.next()) rs.getInt(1) else null }.toList()
                assertEquals(listOf(1), ids)
            }
        }
    }

    @Test
    fun `new databases are isolated from each other`() {
        val a = TestServices.newPostgresDatabase()
        val b = TestServices.newPostgresDatabase()
        assertNotEquals(a.jdbcUrl, b.jdbcUrl)
        a.connect().use { it.createStatement().execute("CREATE TABLE only_in_a (x int)") }
        b.connect().use { c ->
            val rs = c.createStatement().executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_in_a'")
            rs.next()
            assertEquals(0, rs.getInt(1))
        }
    }

    @Test
    fun `redis serves a stream with a consumer group`() {
        val client = RedisClient.create(TestServices.redisUri())
        try {
            client.connect().use { conn ->
                val redis = conn.sync()
                val stream = "restflow:test:stream:${System.nanoTime()}"
                val id = redis.xadd(stream, mapOf("key" to "products::1"))
                redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), "workers")
                val read = redis.xreadgroup(Consumer.from("workers", "w1"), XReadArgs.StreamOffset.lastConsumed(stream))
                assertEquals(listOf(id), read.map { it.id })
                assertEquals("products::1", read.single().body["key"])
                assertEquals(1L, redis.xack(stream, "workers", id))
            }
        } finally {
            client.shutdown()
        }
    }

    @Test
    fun `a private redis server can be stopped and started again on its port`() {
        TestServices.newRedisServer().use { server ->
            val client = RedisClient.create(server.uri)
            try {
                client.connect().use { assertEquals("PONG", it.sync().ping()) }
                server.stop()
                assertFailsWith<Exception> { client.connect().close() }
                server.start()
                client.connect().use { assertEquals("PONG", it.sync().ping()) }
                assertTrue(server.pid() > 0)
            } finally {
                client.shutdown()
            }
        }
    }

    @Test
    fun `service urls from the environment are parsed in both spellings`() {
        val jdbc = ServiceUrls.postgres("jdbc:postgresql://db.local:6543/shop?user=u&password=p%40ss&sslmode=disable")
        assertEquals("jdbc:postgresql://db.local:6543/shop?sslmode=disable", jdbc.jdbcUrl)
        assertEquals("u", jdbc.user)
        assertEquals("p@ss", jdbc.password)
        val uri = ServiceUrls.postgres("postgresql://app:secret@127.0.0.1/shop")
        assertEquals("jdbc:postgresql://127.0.0.1:5432/shop", uri.jdbcUrl)
        assertEquals("app", uri.user)
        assertEquals("secret", uri.password)
        assertFailsWith<IllegalArgumentException> { ServiceUrls.postgres("mysql://x/y") }
    }
}
