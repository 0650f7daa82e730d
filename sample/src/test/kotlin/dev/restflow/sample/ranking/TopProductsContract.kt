package dev.restflow.sample.ranking

import dev.restflow.sample.SampleConfig
import dev.restflow.sample.SeededShopContract
import dev.restflow.sample.catalog.Products
import dev.restflow.sample.invalidation.CachedRead
import dev.restflow.sample.invalidation.ShopClient
import dev.restflow.sample.reviews.Reviews
import dev.restflow.sample.shopModule
import dev.restflow.testing.TestServices
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.testing.testApplication
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.math.BigDecimal
import java.math.RoundingMode
import java.nio.file.Files
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** `GET /api/java/top-products` (the Java route): shape, ordering, `limit` validation and per-limit caching. */
abstract class TopProductsContract : SeededShopContract() {
    private val names = AtomicInteger()

    private fun shop(test: suspend ShopClient.() -> Unit) = testApplication {
        application { shopModule(config, database) }
        ShopClient(client, database.db).test()
    }

    /** The ranking computed from the tables in Kotlin, exactly (rational averages): what the route must answer. */
    private fun expected(limit: Int): JsonArray = transaction(database.db) {
        val ratings = Reviews.selectAll().groupBy({ it[Reviews.product].value }, { it[Reviews.rating] })
        val products = Products.selectAll().associateBy { it[Products.id].value }
        val ranked = ratings.entries.sortedWith { a, b ->
            val bySum = (b.value.sum().toLong() * a.value.size).compareTo(a.value.sum().toLong() * b.value.size)
            when {
                bySum != 0 -> bySum
                a.value.size != b.value.size -> b.value.size.compareTo(a.value.size)
                else -> a.key.compareTo(b.key)
            }
        }.take(limit)
        JsonArray(
            ranked.map { (id, rs) ->
                val row = products.getValue(id)
                JsonObject(
                    linkedMapOf(
                        "id" to JsonPrimitive(id),
                        "name" to JsonPrimitive(row[Products.name]),
                        "price" to JsonPrimitive(row[Products.price].setScale(2).toPlainString()),
                        "average_rating" to JsonPrimitive(
                            BigDecimal(rs.sum()).divide(BigDecimal(rs.size), 2, RoundingMode.HALF_UP).toPlainString(),
                        ),
                        "review_count" to JsonPrimitive(rs.size),
                    ),
                )
            },
        )
    }

    private fun CachedRead.ids(): List<Int> = body.jsonArray.map { it.jsonObject.getValue("id").jsonPrimitive.content.toInt() }

    @Test
    fun `the ranking orders by average rating, then review count, then id, and matches the tables`() = shop {
        val tag = "Rank${names.incrementAndGet()}"
        val twoFives = createProduct("$tag two fives", price = "3.10")
        val oneFive = createProduct("$tag one five")
        val fourAndFiveLow = createProduct("$tag four and five (lower id)")
        val fourAndFiveHigh = createProduct("$tag four and five (higher id)")
        addReviews(twoFives, 5, 5)
        addReviews(oneFive, 5)
        addReviews(fourAndFiveLow, 4, 5)
        addReviews(fourAndFiveHigh, 5, 4)

        val all = read("/api/java/top-products?limit=100")
        assertEquals(HttpStatusCode.OK, all.status)
        assertEquals(expected(100), all.body)
        val mine = all.ids().filter { it in setOf(twoFives, oneFive, fourAndFiveLow, fourAndFiveHigh) }
        assertEquals(listOf(twoFives, oneFive, fourAndFiveLow, fourAndFiveHigh), mine)
        val item = all.body.jsonArray.single { it.jsonObject.getValue("id").jsonPrimitive.content == twoFives.toString() }.jsonObject
        assertEquals(listOf("id", "name", "price", "average_rating", "review_count"), item.keys.toList())
        assertEquals("\"3.10\"", item.getValue("price").toString())
        assertEquals("\"5.00\"", item.getValue("average_rating").toString())
        assertEquals("2", item.getValue("review_count").toString())

        val byDefault = read("/api/java/top-products")
        assertEquals(expected(10), byDefault.body, "limit defaults to 10")
        assertEquals(expected(2), read("/api/java/top-products?limit=2").body)
    }

    @Test
    fun `a bad limit is a 400 validation_error keyed limit`() = shop {
        val cases = mapOf(
            "abc" to "A valid integer is required.",
            "1.5" to "A valid integer is required.",
            "" to "A valid integer is required.",
            "99999999999" to "A valid integer is required.",
            "0" to "Ensure this value is greater than or equal to 1.",
            "-3" to "Ensure this value is greater than or equal to 1.",
            "101" to "Ensure this value is less than or equal to 100.",
        )
        for ((limit, message) in cases) {
            val response = send("GET", "/api/java/top-products?limit=$limit", null)
            assertEquals(HttpStatusCode.BadRequest, response.status, "limit=$limit")
            val expected = """{"error":{"code":"validation_error","message":"Request validation failed.","details":{"limit":["$message"]}}}"""
            assertEquals(Json.parseToJsonElement(expected), Json.parseToJsonElement(response.bodyAsText()), "limit=$limit")
        }
        assertEquals(HttpStatusCode.OK, send("GET", "/api/java/top-products?limit=1", null).status)
        assertEquals(HttpStatusCode.OK, send("GET", "/api/java/top-products?limit=100", null).status)
    }

    @Test
    fun `rankings are cached per limit and a new review changes the ranking`() = shop {
        val tag = "Climber${names.incrementAndGet()}"
        val climber = createProduct("$tag")
        val rival = createProduct("$tag rival")
        addReviews(climber, 1)
        addReviews(rival, 2)
        val three = read("/api/java/top-products?limit=3")
        assertEquals("MISS", three.cache)
        assertEquals("HIT", read("/api/java/top-products?limit=3").cache)
        assertEquals(three.body, read("/api/java/top-products?limit=3").body)
        assertEquals("MISS", read("/api/java/top-products?limit=4").cache, "another limit is another entry")
        val before = read("/api/java/top-products?limit=100")
        assertEquals("MISS", before.cache)
        assertTrue(before.ids().indexOf(rival) < before.ids().indexOf(climber), "2.00 ranks above 1.00")
        assertEquals("1.00", productIn(before, climber)!!.getValue("average_rating").jsonPrimitive.content)

        // bob rates it 5 through the API: a mean of 3.00, and it climbs past the rival
        val review = send("POST", "/api/reviews", "bob", """{"product":$climber,"rating":5,"comment":"better"}""")
        assertEquals(HttpStatusCode.Created, review.status)
        val after = read("/api/java/top-products?limit=100")
        assertEquals("MISS", after.cache, "a review evicts every cached ranking")
        assertEquals(expected(100), after.body)
        assertEquals("3.00", productIn(after, climber)!!.getValue("average_rating").jsonPrimitive.content)
        assertTrue(after.ids().indexOf(climber) < after.ids().indexOf(rival), "3.00 now ranks above 2.00")
        assertEquals("MISS", read("/api/java/top-products?limit=3").cache, "every limit's entry is dropped")
    }
}

class H2TopProductsTest : TopProductsContract() {
    override fun environment(): Map<String, String> =
        mapOf("DATABASE_URL" to SampleConfig.defaultH2Url(Files.createTempDirectory("top").resolve("shop")))
}

class PostgresTopProductsTest : TopProductsContract() {
    override fun environment(): Map<String, String> {
        val pg = TestServices.newPostgresDatabase()
        return mapOf("DATABASE_URL" to pg.jdbcUrl, "DATABASE_USER" to pg.user, "DATABASE_PASSWORD" to pg.password)
    }
}
