package dev.restflow.sample.catalog

import dev.restflow.sample.SampleConfig
import dev.restflow.sample.database.ShopDatabase
import dev.restflow.sample.database.ShopSchema
import dev.restflow.sample.reviews.Reviews
import dev.restflow.sample.seed.Seeder
import dev.restflow.sample.shopModule
import dev.restflow.testing.TestServices
import io.ktor.client.request.get
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.TestInstance
import java.math.BigDecimal
import java.nio.file.Files
import java.time.ZoneOffset
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** The catalogue endpoints of SAMPLE_API.md over the seeded shop, on H2 and on PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CatalogApiContract {
    protected abstract fun environment(): Map<String, String>

    private lateinit var config: SampleConfig
    private lateinit var database: ShopDatabase

    @BeforeAll
    fun openShop() {
        config = SampleConfig.fromEnvironment(environment())
        database = ShopDatabase.open(config)
        ShopSchema.create(database)
        Seeder.seedIfEmpty(database, config.seedProducts)
    }

    @AfterAll
    fun closeShop() {
        database.close()
    }

    private fun shop(test: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        application { shopModule(config, database) }
        this@CatalogApiContract.client = client
        test()
    }

    /** A plain array, or every page's results followed through the `next` links. */
    private suspend fun HttpResponse.array(): JsonArray {
        val body = Json.parseToJsonElement(bodyAsText())
        if (body is JsonArray) return body
        return JsonArray(pages(body.jsonObject))
    }

    private var client: io.ktor.client.HttpClient? = null

    private suspend fun pages(first: kotlinx.serialization.json.JsonObject): List<kotlinx.serialization.json.JsonElement> {
        val all = first.getValue("results").jsonArray.toMutableList()
        var next = (first["next"] as? kotlinx.serialization.json.JsonPrimitive)?.takeIf { it.isString }?.content
        while (next != null) {
            val page = Json.parseToJsonElement(client!!.get(next.removePrefix("http://localhost")).bodyAsText()).jsonObject
            all.addAll(page.getValue("results").jsonArray)
            next = (page["next"] as? kotlinx.serialization.json.JsonPrimitive)?.takeIf { it.isString }?.content
        }
        return all
    }
    private fun JsonArray.ids(): List<Int> = map { it.jsonObject.getValue("id").jsonPrimitive.int }

    /** Product rows as the database has them, for expectations computed independently of the API. */
    private fun products() = transaction(database.db) {
        Products.selectAll().orderBy(Products.id, SortOrder.ASC).map {
            object {
                val id = it[Products.id].value
                val name = it[Products.name]
                val description = it[Products.description]
                val price: BigDecimal = it[Products.price]
                val category = it[Products.category].value
                val tags = it[Products.tags]
                val year = it[Products.createdAt].atZone(ZoneOffset.UTC).year
            }
        }
    }

    @Test
    fun `categories list with their filters`() = shop {
        val all = client.get("/api/categories").array()
        assertEquals(listOf("books", "games", "tools"), all.map { it.jsonObject.getValue("slug").jsonPrimitive.content })
        assertEquals(setOf("id", "name", "slug"), all[0].jsonObject.keys)
        assertEquals(listOf("Books", "Tools"), client.get("/api/categories?name__icontains=OO").array().map { it.jsonObject.getValue("name").jsonPrimitive.content })
        assertEquals(listOf("Games"), client.get("/api/categories?slug=games").array().map { it.jsonObject.getValue("name").jsonPrimitive.content })
        assertEquals(listOf("books", "tools"), client.get("/api/categories?slug!=games").array().map { it.jsonObject.getValue("slug").jsonPrimitive.content })
    }

    @Test
    fun `products render as the contract says`() = shop {
        val first = client.get("/api/products/1")
        assertEquals(HttpStatusCode.OK, first.status)
        val item = Json.parseToJsonElement(first.bodyAsText()).jsonObject
        assertEquals(
            listOf("id", "name", "description", "price", "stock", "in_stock", "category", "tags", "owner", "created_at", "latest_review"),
            item.keys.toList(),
        )
        assertTrue(Regex("^\"\\d+\\.\\d{2}\"$").matches(item.getValue("price").toString()), "price ${item["price"]}")
        assertTrue(Regex("^\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z\"$").matches(item.getValue("created_at").toString()))
        assertTrue(item.getValue("tags") is JsonArray)
        for (path in listOf("/api/products/0", "/api/products/abc", "/api/products/99999")) {
            assertEquals(HttpStatusCode.NotFound, client.get(path).status, path)
        }
    }

    @Test
    fun `product filters, negation and ordering select what the database holds`() = shop {
        val rows = products()
        val cheapFirst = rows.filter { it.price >= BigDecimal("50") }.sortedWith(compareBy({ it.price }, { it.id })).map { it.id }
        assertEquals(cheapFirst, client.get("/api/products?price__gte=50&order_by=price").array().ids())
        assertEquals(rows.filter { it.price < BigDecimal("50") }.map { it.id }, client.get("/api/products?price__gte!=50").array().ids())
        assertEquals(rows.filter { it.category != 1 }.map { it.id }, client.get("/api/products?category!=1").array().ids())
        val books = transaction(database.db) { Categories.selectAll().single { it[Categories.slug] == "books" }[Categories.id].value }
        assertEquals(rows.filter { it.category == books }.map { it.id }, client.get("/api/products?category__slug=books").array().ids())
        assertEquals(
            rows.filter { it.tags.containsAll(listOf("sale", "eco")) }.map { it.id },
            client.get("/api/products?tags__contains=sale,eco").array().ids(),
        )
        val year = rows.first().year
        assertEquals(rows.filter { it.year == year }.map { it.id }, client.get("/api/products?created_at__year=$year").array().ids())
        val word = rows.first().name.split(' ').first()
        assertEquals(
            rows.filter { it.name.contains(word, ignoreCase = true) || it.description.contains(word, ignoreCase = true) }.map { it.id },
            client.get("/api/products?q=${word.uppercase()}").array().ids(),
        )
        assertEquals(emptyList(), client.get("/api/products?q=100%25").array().ids(), "LIKE wildcards match literally")
        val bad = client.get("/api/products?price__gte=cheap&order_by=colour")
        assertEquals(HttpStatusCode.BadRequest, bad.status)
        val details = Json.parseToJsonElement(bad.bodyAsText()).jsonObject.getValue("error").jsonObject.getValue("details").jsonObject
        assertEquals(setOf("price__gte", "order_by"), details.keys)
    }

    @Test
    fun `exports stream every matching product as a JSON array and as NDJSON`() = shop {
        val rows = products()
        assertEquals(rows.map { it.id }, client.get("/api/products/export").array().ids())
        val ndjson = client.get("/api/products/export.ndjson?category=2").bodyAsText().trimEnd().split("\n")
        assertEquals(rows.filter { it.category == 2 }.map { it.id }, ndjson.map { Json.parseToJsonElement(it).jsonObject.getValue("id").jsonPrimitive.int })
        val bad = client.get("/api/products/export?price=free")
        assertEquals(HttpStatusCode.BadRequest, bad.status, "bad filters are refused before the stream starts")
    }

    @Test
    fun `reviews filter by rating and order by the declared keys`() = shop {
        val ratings = transaction(database.db) { Reviews.selectAll().map { it[Reviews.id].value to it[Reviews.rating] } }
        val high = client.get("/api/reviews?rating__gte=4&order_by=-rating").array()
        assertEquals(ratings.count { it.second >= 4 }, high.size)
        val got = high.map { it.jsonObject.getValue("rating").jsonPrimitive.int }
        assertEquals(got.sortedDescending(), got)
        assertTrue(high.isNotEmpty(), "the seed has high ratings")
        assertEquals(listOf("id", "product", "user", "rating", "comment", "created_at"), high[0].jsonObject.keys.toList())
    }
}

class H2CatalogApiTest : CatalogApiContract() {
    override fun environment(): Map<String, String> =
        mapOf("DATABASE_URL" to SampleConfig.defaultH2Url(Files.createTempDirectory("catalog").resolve("shop")))
}

class PostgresCatalogApiTest : CatalogApiContract() {
    override fun environment(): Map<String, String> {
        val pg = TestServices.newPostgresDatabase()
        return mapOf("DATABASE_URL" to pg.jdbcUrl, "DATABASE_USER" to pg.user, "DATABASE_PASSWORD" to pg.password)
    }
}
