package dev.restflow.sample.invalidation

import dev.restflow.sample.catalog.Products
import dev.restflow.sample.reviews.Reviews
import dev.restflow.sample.users.Users
import io.ktor.client.HttpClient
import io.ktor.client.request.HttpRequestBuilder
import io.ktor.client.request.delete
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.request.patch
import io.ktor.client.request.post
import io.ktor.client.request.setBody
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.contentType
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.time.Instant
import kotlin.test.assertEquals

/** One read of a cached view: its `X-Cache-Status` and body. */
data class CachedRead(val cache: String?, val status: HttpStatusCode, val body: JsonElement)

/** The HTTP and SQL steps the cache tests share, over a test application's [client] and the shop [db]. */
class ShopClient(private val client: HttpClient, private val db: Database) {
    private val tokens = HashMap<String, String>()

    /** An access token of [user] (password `<user>-pass`), obtained once. */
    suspend fun token(user: String): String = tokens.getOrPut(user) {
        val response = client.post("/api/auth/token") {
            contentType(ContentType.Application.Json)
            setBody("""{"username":"$user","password":"$user-pass"}""")
        }
        Json.parseToJsonElement(response.bodyAsText()).jsonObject.getValue("access").jsonPrimitive.content
    }

    /** A request as [user] (anonymous when `null`) with an optional JSON [body]. */
    suspend fun send(method: String, path: String, user: String?, body: String? = null): HttpResponse {
        val token = user?.let { token(it) }
        val block: HttpRequestBuilder.() -> Unit = {
            token?.let { header(HttpHeaders.Authorization, "Bearer $it") }
            body?.let { contentType(ContentType.Application.Json); setBody(it) }
        }
        return when (method) {
            "POST" -> client.post(path, block)
            "PATCH" -> client.patch(path, block)
            "DELETE" -> client.delete(path, block)
            else -> client.get(path, block)
        }
    }

    /** GET [path] (as [user], with extra [headers]) and its cache status. */
    suspend fun read(path: String, user: String? = null, headers: Map<String, String> = emptyMap()): CachedRead {
        val token = user?.let { token(it) }
        val response = client.get(path) {
            token?.let { header(HttpHeaders.Authorization, "Bearer $it") }
            headers.forEach { (name, value) -> header(name, value) }
        }
        return CachedRead(response.headers["X-Cache-Status"], response.status, Json.parseToJsonElement(response.bodyAsText()))
    }

    /** Creates a product owned by alice through the API; returns its id. */
    suspend fun createProduct(name: String, price: String = "10.00", category: Int = 1): Int {
        val response = send("POST", "/api/products", "alice", """{"name":"$name","price":"$price","stock":3,"category":$category}""")
        assertEquals(HttpStatusCode.Created, response.status, response.bodyAsText())
        return Json.parseToJsonElement(response.bodyAsText()).jsonObject.getValue("id").jsonPrimitive.content.toInt()
    }

    /** Inserts reviews of [product] with [ratings] by distinct users (admin, alice, bob, carol) with bulk SQL. */
    fun addReviews(product: Int, vararg ratings: Int) {
        transaction(db) {
            val reviewed = Reviews.selectAll().where { Reviews.product eq product }.map { it[Reviews.user].value }.toSet()
            val authors = Users.selectAll().orderBy(Users.id).map { it[Users.id].value }.filter { it !in reviewed }
            require(authors.size >= ratings.size) { "product $product cannot get ${ratings.size} more reviews" }
            ratings.forEachIndexed { i, rating ->
                Reviews.insert {
                    it[Reviews.product] = product
                    it[user] = authors[i]
                    it[Reviews.rating] = rating
                    it[comment] = "rated $rating"
                    it[createdAt] = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i.toLong())
                }
            }
        }
    }

    /** The product [id] as [read] shows it: the retrieved object, or its item in a list or ranking; `null` if absent. */
    fun productIn(read: CachedRead, id: Int): JsonObject? {
        val body = read.body
        val items = when {
            body is JsonObject && "results" in body -> body.getValue("results").jsonArray
            body is JsonObject -> return body.takeIf { it["id"]?.jsonPrimitive?.content == id.toString() }
            else -> body.jsonArray
        }
        return items.map { it.jsonObject }.firstOrNull { it.getValue("id").jsonPrimitive.content == id.toString() }
    }

    /** The name of product [id] in the database. */
    fun nameOf(id: Int): String = transaction(db) { Products.selectAll().where { Products.id eq id }.single()[Products.name] }
}
