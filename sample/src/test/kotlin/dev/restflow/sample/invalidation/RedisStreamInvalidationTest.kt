package dev.restflow.sample.invalidation

import dev.restflow.ktor.test.awaitInvalidation
import dev.restflow.sample.SampleConfig
import dev.restflow.sample.SeededShopContract
import dev.restflow.sample.catalog.Products
import dev.restflow.sample.shopModule
import dev.restflow.testing.TestServices
import io.ktor.http.HttpStatusCode
import io.ktor.server.testing.testApplication
import kotlinx.coroutines.flow.first
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import org.junit.jupiter.api.AfterAll
import java.nio.file.Files
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull

/**
 * With `REDIS_URL` (an embedded Redis of its own) the shop evicts inline and through the durable `redis-stream` dispatcher: each
 * commit's batch is appended to the stream and applied by the worker running in the application. The test waits for
 * the worker to apply the write's batch (no sleeps), then the next read misses with the fresh data.
 */
class RedisStreamInvalidationTest : SeededShopContract() {
    private val redis = TestServices.newRedisServer()

    override fun environment(): Map<String, String> = mapOf(
        "DATABASE_URL" to SampleConfig.defaultH2Url(Files.createTempDirectory("redis-stream").resolve("shop")),
        "REDIS_URL" to redis.uri,
    )

    @AfterAll
    fun stopRedis() = redis.stop()

    /** Runs [write] (one commit, so one batch) and waits until the stream worker has applied that batch. */
    private suspend fun <T> ShopInvalidation.appliedAfter(write: suspend () -> T): T {
        val target = applied.value + 1
        return awaitInvalidation({ applied.first { it >= target } }) { write() }
    }

    @Test
    fun `a committed write evicts through the redis-stream dispatcher and its worker`() = testApplication {
        application { shopModule(config, database) }
        startApplication()
        val invalidation = application.shopInvalidation
        assertEquals("inline+redis-stream", invalidation.dispatcher)
        val shop = ShopClient(client, database.db)
        shop.token("alice")

        val id = invalidation.appliedAfter { shop.createProduct("Streamed lamp") }
        val views = listOf("/api/products/$id", "/api/products?name__istartswith=Streamed")
        for (view in views) {
            assertEquals("MISS", shop.read(view).cache, view)
            assertEquals("HIT", shop.read(view).cache, view)
        }

        invalidation.appliedAfter {
            assertEquals(HttpStatusCode.OK, shop.send("PATCH", "/api/products/$id", "alice", """{"name":"Streamed api"}""").status)
        }
        for (view in views) {
            val read = shop.read(view)
            assertEquals("MISS", read.cache, "the worker evicted $view")
            assertEquals("Streamed api", assertNotNull(shop.productIn(read, id), view).getValue("name").jsonPrimitive.content)
        }

        invalidation.appliedAfter {
            transaction(database.db) { Products.update({ Products.id eq id }) { it[name] = "Streamed sql" } }
        }
        for (view in views) {
            val read = shop.read(view)
            assertEquals("MISS", read.cache, "a bulk update reaches the worker too: $view")
            assertEquals("Streamed sql", assertNotNull(shop.productIn(read, id), view).getValue("name").jsonPrimitive.content)
        }

        // the inline half: the writer's next read already misses, whether or not the worker has run yet
        invalidation.appliedAfter {
            assertEquals(HttpStatusCode.OK, shop.send("PATCH", "/api/products/$id", "alice", """{"name":"Streamed now"}""").status)
            for (view in views) {
                val read = shop.read(view)
                assertEquals("MISS", read.cache, "evicted before the next read: $view")
                assertEquals("Streamed now", assertNotNull(shop.productIn(read, id), view).getValue("name").jsonPrimitive.content)
            }
        }
    }
}
