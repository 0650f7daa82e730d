package dev.restflow.sample.invalidation

import dev.restflow.sample.SampleConfig
import dev.restflow.sample.SeededShopContract
import dev.restflow.sample.catalog.Categories
import dev.restflow.sample.catalog.Products
import dev.restflow.sample.reviews.Reviews
import dev.restflow.sample.shopModule
import dev.restflow.testing.TestServices
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.exposed.v1.core.like
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.deleteWhere
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.nio.file.Files
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * Issue 6 point 7: product retrieve, the three product lists and `/api/java/top-products` are response- or
 * function-cached, and every committed change — through the API, an Exposed DAO entity or bulk DSL SQL — makes the
 * next read of each a MISS with the fresh data; a rolled-back change leaves every entry cached.
 */
abstract class ShopCacheInvalidationContract : SeededShopContract() {
    private val names = AtomicInteger()

    private fun shop(test: suspend ShopClient.(ApplicationTestBuilder) -> Unit) = testApplication {
        application { shopModule(config, database) }
        startApplication()
        assertEquals("inline", application.shopInvalidation.dispatcher)
        ShopClient(client, database.db).test(this)
    }

    /** A product with one review (so it is ranked), under a prefix of its own; returns its id and prefix. */
    private suspend fun ShopClient.rankedProduct(): Pair<Int, String> {
        val prefix = "Cachetest${names.incrementAndGet()}x"
        val id = createProduct("$prefix lamp", price = "12.50")
        addReviews(id, 4)
        return id to prefix
    }

    /** Every cached view that shows product [id] (named with [prefix]). */
    private fun views(id: Int, prefix: String) = listOf(
        "/api/products/$id",
        "/api/products?name__istartswith=$prefix",
        "/api/products/fast?name__istartswith=$prefix",
        "/api/products/cursor?name__istartswith=$prefix",
        "/api/java/top-products?limit=100",
    )

    /** Reads each view twice: MISS, then HIT with the same body. */
    private suspend fun ShopClient.warm(views: List<String>) {
        for (view in views) {
            val first = read(view)
            assertEquals(HttpStatusCode.OK, first.status, "$view: ${first.body}")
            assertEquals("MISS", first.cache, "first read of $view")
            val second = read(view)
            assertEquals("HIT", second.cache, "second read of $view")
            assertEquals(first.body, second.body, view)
        }
    }

    /** After a change: every view is a MISS, and [check] holds for product [id] as each shows it. */
    private suspend fun ShopClient.assertFresh(views: List<String>, id: Int, what: String, check: (String, JsonObject?) -> Unit) {
        for (view in views) {
            val read = read(view)
            assertEquals("MISS", read.cache, "$what evicts $view")
            check(view, productIn(read, id))
            assertEquals("HIT", read(view).cache, "$view is cached again")
        }
    }

    private fun assertName(expected: String): (String, JsonObject?) -> Unit = { view, product ->
        assertEquals(expected, assertNotNull(product, view).getValue("name").jsonPrimitive.content, view)
    }

    @Test
    fun `every view is a MISS first, then a HIT`() = shop {
        val (id, prefix) = rankedProduct()
        warm(views(id, prefix))
    }

    @Test
    fun `an API write evicts every view`() = shop {
        val (id, prefix) = rankedProduct()
        val views = views(id, prefix)
        warm(views)
        val patched = send("PATCH", "/api/products/$id", "alice", """{"name":"$prefix api"}""")
        assertEquals(HttpStatusCode.OK, patched.status)
        assertFresh(views, id, "an API write", assertName("$prefix api"))
    }

    @Test
    fun `a DAO entity write evicts every view`() = shop {
        val (id, prefix) = rankedProduct()
        val views = views(id, prefix)
        warm(views)
        transaction(database.db) { ProductEntity[id].name = "$prefix dao" }
        assertFresh(views, id, "a DAO write", assertName("$prefix dao"))
    }

    @Test
    fun `bulk DSL updates evict every view, pinned by id or by a range`() = shop {
        val (id, prefix) = rankedProduct()
        val views = views(id, prefix)
        warm(views)
        transaction(database.db) { Products.update({ Products.id eq id }) { it[name] = "$prefix sql" } }
        assertFresh(views, id, "a bulk update by id", assertName("$prefix sql"))
        transaction(database.db) { Products.update({ Products.name like "$prefix%" }) { it[name] = "$prefix range" } }
        assertFresh(views, id, "a range update", assertName("$prefix range"))
    }

    @Test
    fun `a bulk deleteWhere of the reviews evicts every view`() = shop {
        val (id, prefix) = rankedProduct()
        val views = views(id, prefix)
        warm(views)
        transaction(database.db) { Reviews.deleteWhere { Reviews.product eq id } }
        assertFresh(views, id, "deleting the reviews") { view, product ->
            if (view.startsWith("/api/java/")) {
                assertNull(product, "a product without reviews leaves the ranking")
            } else {
                assertEquals(JsonNull, assertNotNull(product, view)["latest_review"], view)
            }
        }
    }

    @Test
    fun `a DAO review write and an API review evict every view`() = shop {
        val (id, prefix) = rankedProduct()
        val views = views(id, prefix)
        warm(views)
        transaction(database.db) {
            val review = ReviewEntity.find { Reviews.product eq id }.single()
            review.rating = 2
            review.comment = "dao comment"
        }
        assertFresh(views, id, "a DAO review update") { view, product ->
            val item = assertNotNull(product, view)
            if (view.startsWith("/api/java/")) {
                assertEquals("2.00", item.getValue("average_rating").jsonPrimitive.content)
            } else {
                assertEquals("dao comment", item.getValue("latest_review").jsonObject.getValue("comment").jsonPrimitive.content)
            }
        }
        assertEquals(HttpStatusCode.Created, send("POST", "/api/reviews", "bob", """{"product":$id,"rating":5,"comment":"api comment"}""").status)
        assertFresh(views, id, "an API review") { view, product ->
            val item = assertNotNull(product, view)
            if (view.startsWith("/api/java/")) {
                assertEquals("3.50", item.getValue("average_rating").jsonPrimitive.content)
                assertEquals("2", item.getValue("review_count").toString())
            } else {
                assertEquals("api comment", item.getValue("latest_review").jsonObject.getValue("comment").jsonPrimitive.content)
            }
        }
    }

    @Test
    fun `an API delete evicts every view`() = shop {
        val (id, prefix) = rankedProduct()
        val views = views(id, prefix)
        warm(views)
        assertEquals(HttpStatusCode.NoContent, send("DELETE", "/api/products/$id", "admin").status)
        assertEquals(HttpStatusCode.NotFound, read(views.first()).status, "the deleted product is not served from the cache")
        assertFresh(views.drop(1), id, "an API delete") { view, product -> assertNull(product, view) }
    }

    @Test
    fun `a rolled-back write leaves every view cached with the old data`() = shop {
        val (id, prefix) = rankedProduct()
        val views = views(id, prefix)
        warm(views)
        transaction(database.db) {
            Products.update({ Products.id eq id }) { it[name] = "$prefix rolled back" }
            ProductEntity[id].stock = 99
            Reviews.deleteWhere { Reviews.product eq id }
            rollback()
        }
        for (view in views) {
            val read = read(view)
            assertEquals("HIT", read.cache, "a rollback evicts nothing: $view")
            assertEquals("$prefix lamp", assertNotNull(productIn(read, id), view).getValue("name").jsonPrimitive.content)
        }
        assertEquals("$prefix lamp", nameOf(id))
    }

    @Test
    fun `a category change evicts the lists filtered by its slug`() = shop {
        val slug = "cachetest-${names.incrementAndGet()}"
        val created = send("POST", "/api/categories", "admin", """{"name":"Cache test","slug":"$slug"}""")
        assertEquals(HttpStatusCode.Created, created.status)
        val category = Json.parseToJsonElement(created.bodyAsText()).jsonObject.getValue("id").jsonPrimitive.content.toInt()
        val id = createProduct("Sloggable ${names.incrementAndGet()}", category = category)
        val lists = listOf("/api/products", "/api/products/fast", "/api/products/cursor").map { "$it?category__slug=$slug" }
        warm(lists)
        transaction(database.db) { Categories.update({ Categories.id eq category }) { it[Categories.slug] = "$slug-moved" } }
        assertFresh(lists, id, "a category slug update") { view, product -> assertNull(product, "$view: the old slug matches nothing") }
        val renamed = send("PATCH", "/api/categories/$category", "admin", """{"slug":"$slug"}""")
        assertEquals(HttpStatusCode.OK, renamed.status)
        assertFresh(lists, id, "a category API update") { view, product -> assertNotNull(product, "$view: the slug matches again") }
    }

    @Test
    fun `list entries are keyed by the whole query, the host and the caller`() = shop {
        val prefix = "Keytest${names.incrementAndGet()}x"
        repeat(3) { createProduct("$prefix $it") }
        val base = "/api/products?name__istartswith=$prefix"
        val one = read("$base&page_size=1")
        assertEquals("MISS", one.cache)
        assertEquals(1, one.body.jsonObject.getValue("results").jsonArray.size)
        val two = read("$base&page_size=2")
        assertEquals("MISS", two.cache, "another page size is another entry")
        assertEquals(2, two.body.jsonObject.getValue("results").jsonArray.size)
        val page2 = read("$base&page_size=1&page=2")
        assertEquals("MISS", page2.cache, "another page is another entry")
        assertTrue(one.body != page2.body)
        assertEquals("HIT", read("/api/products?page_size=1&name__istartswith=$prefix").cache, "parameter order does not matter")
        assertEquals(one.body, read("/api/products?page_size=1&name__istartswith=$prefix").body)
        assertEquals("MISS", read("/api/products/fast?name__istartswith=$prefix&page_size=1").cache, "another path is another entry")

        // lists are public, but an authenticated caller gets an entry of its own: a cache entry is never shared
        val alice = read("$base&page_size=1", user = "alice")
        assertEquals("MISS", alice.cache)
        assertEquals(one.body, alice.body)
        assertEquals("HIT", read("$base&page_size=1", user = "alice").cache)
        assertEquals("MISS", read("$base&page_size=1", user = "bob").cache)

        // the next/previous links are absolute: another Host is another entry, never served the first host's links
        val elsewhere = read("$base&page_size=1", headers = mapOf("Host" to "shop.example"))
        assertEquals("MISS", elsewhere.cache)
        assertTrue(elsewhere.body.jsonObject.getValue("next").jsonPrimitive.content.startsWith("http://shop.example/"))
        val home = read("$base&page_size=1")
        assertEquals("HIT", home.cache)
        assertTrue(home.body.jsonObject.getValue("next").jsonPrimitive.content.startsWith("http://localhost/"))
    }
}

class H2ShopCacheInvalidationTest : ShopCacheInvalidationContract() {
    override fun environment(): Map<String, String> =
        mapOf("DATABASE_URL" to SampleConfig.defaultH2Url(Files.createTempDirectory("invalidation").resolve("shop")))
}

class PostgresShopCacheInvalidationTest : ShopCacheInvalidationContract() {
    override fun environment(): Map<String, String> {
        val pg = TestServices.newPostgresDatabase()
        return mapOf("DATABASE_URL" to pg.jdbcUrl, "DATABASE_USER" to pg.user, "DATABASE_PASSWORD" to pg.password)
    }
}
