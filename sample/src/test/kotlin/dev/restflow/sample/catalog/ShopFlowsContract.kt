package dev.restflow.sample.catalog

import dev.restflow.sample.SeededShopContract
import dev.restflow.sample.SampleConfig
import dev.restflow.sample.shopModule
import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.greaterEq
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import io.ktor.client.HttpClient
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
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.nio.file.Files
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** SAMPLE_API.md's authenticated flows: tokens, /api/me, write permissions, conflicts and the list variants. */
abstract class ShopFlowsContract : SeededShopContract() {
    private fun shop(test: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        application { shopModule(config, database) }
        test()
    }

    private suspend fun HttpResponse.obj(): JsonObject = Json.parseToJsonElement(bodyAsText()).jsonObject
    private suspend fun HttpResponse.code(): String = obj().getValue("error").jsonObject.getValue("code").jsonPrimitive.content

    private suspend fun HttpClient.token(user: String, password: String): String =
        post("/api/auth/token") { contentType(ContentType.Application.Json); setBody("""{"username":"$user","password":"$password"}""") }
            .let { Json.parseToJsonElement(it.bodyAsText()).jsonObject.getValue("access").jsonPrimitive.content }

    private suspend fun HttpClient.send(method: String, path: String, token: String?, body: String? = null): HttpResponse {
        val block: io.ktor.client.request.HttpRequestBuilder.() -> Unit = {
            token?.let { header(HttpHeaders.Authorization, "Bearer $it") }
            body?.let { contentType(ContentType.Application.Json); setBody(it) }
        }
        return when (method) {
            "POST" -> post(path, block)
            "PATCH" -> patch(path, block)
            "DELETE" -> delete(path, block)
            else -> get(path, block)
        }
    }

    @Test
    fun `tokens are obtained with credentials and identify the caller`() = shop {
        val bad = client.post("/api/auth/token") { contentType(ContentType.Application.Json); setBody("""{"username":"alice","password":"nope"}""") }
        assertEquals(HttpStatusCode.Unauthorized, bad.status)
        assertEquals("authentication_failed", bad.code())
        val inactive = client.post("/api/auth/token") { contentType(ContentType.Application.Json); setBody("""{"username":"carol","password":"carol-pass"}""") }
        assertEquals(HttpStatusCode.Unauthorized, inactive.status)
        val alice = client.token("alice", "alice-pass")
        val me = client.send("GET", "/api/me", alice).obj()
        assertEquals(listOf("id", "username", "email", "is_staff"), me.keys.toList())
        assertEquals("alice", me.getValue("username").jsonPrimitive.content)
        assertEquals("false", me.getValue("is_staff").toString())
        assertEquals(HttpStatusCode.Unauthorized, client.get("/api/me").status)
    }

    @Test
    fun `product writes follow the permissions of the contract`() = shop {
        val anonymous = client.send("POST", "/api/products", null, """{"name":"Kite","price":"9.50","stock":2,"category":1}""")
        assertEquals(HttpStatusCode.Unauthorized, anonymous.status)
        assertEquals("not_authenticated", anonymous.code())
        assertTrue(anonymous.headers[HttpHeaders.WWWAuthenticate].orEmpty().startsWith("Bearer"))

        val alice = client.token("alice", "alice-pass")
        val bob = client.token("bob", "bob-pass")
        val admin = client.token("admin", "admin-pass")
        val created = client.send("POST", "/api/products", alice, """{"name":"Kite","price":"9.50","stock":2,"category":1,"tags":["new"]}""")
        assertEquals(HttpStatusCode.Created, created.status, created.bodyAsText())
        val product = created.obj()
        val id = product.getValue("id").jsonPrimitive.content
        val aliceId = client.send("GET", "/api/me", alice).obj().getValue("id").toString()
        assertEquals(aliceId, product.getValue("owner").toString())
        assertEquals("true", product.getValue("in_stock").toString())
        assertEquals("null", product.getValue("latest_review").toString())

        val readOnly = client.send("POST", "/api/products", alice, """{"name":"X","price":"1.00","stock":1,"category":1,"owner":2}""")
        assertEquals(HttpStatusCode.BadRequest, readOnly.status, "owner is read-only")

        val foreign = client.send("PATCH", "/api/products/$id", bob, """{"stock":5}""")
        assertEquals(HttpStatusCode.Forbidden, foreign.status)
        assertEquals("permission_denied", foreign.code())
        assertEquals(HttpStatusCode.OK, client.send("PATCH", "/api/products/$id", alice, """{"stock":0}""").status)
        assertEquals("false", client.get("/api/products/$id").obj().getValue("in_stock").toString())
        assertEquals(HttpStatusCode.OK, client.send("PATCH", "/api/products/$id", admin, """{"stock":3}""").status)
        assertEquals(HttpStatusCode.Forbidden, client.send("DELETE", "/api/products/$id", alice).status)
        assertEquals(HttpStatusCode.NoContent, client.send("DELETE", "/api/products/$id", admin).status)
    }

    @Test
    fun `product retrieve is response-cached and any committed change evicts it`() = shop {
        val alice = client.token("alice", "alice-pass")
        val bob = client.token("bob", "bob-pass")
        val id = client.send("POST", "/api/products", alice, """{"name":"Lantern","price":"12.00","stock":4,"category":1}""")
            .obj().getValue("id").jsonPrimitive.content.toInt()
        suspend fun read(): Pair<String?, JsonObject> =
            client.get("/api/products/$id").let { it.headers["X-Cache-Status"] to it.obj() }

        assertEquals("MISS", read().first)
        assertEquals("HIT", read().first)

        assertEquals(HttpStatusCode.OK, client.send("PATCH", "/api/products/$id", alice, """{"stock":2}""").status)
        val afterApi = read()
        assertEquals("MISS", afterApi.first, "an API write evicts")
        assertEquals("2", afterApi.second.getValue("stock").toString())
        assertEquals("HIT", read().first)

        transaction(database.db) { Products.update({ Products.id eq id }) { it[stock] = 42 } }
        val afterSql = read()
        assertEquals("MISS", afterSql.first, "a bulk SQL update pinned by id evicts")
        assertEquals("42", afterSql.second.getValue("stock").toString())

        read()
        transaction(database.db) { Products.update({ Products.stock greaterEq 42 }) { it[description] = "bright" } }
        assertEquals("bright", read().let { assertEquals("MISS", it.first, "a range update evicts the namespace"); it.second.getValue("description").jsonPrimitive.content })

        read()
        transaction(database.db) {
            Products.update({ Products.id eq id }) { it[stock] = 0 }
            rollback()
        }
        assertEquals("HIT", read().first, "a rolled-back write evicts nothing")

        assertEquals(HttpStatusCode.Created, client.send("POST", "/api/reviews", bob, """{"product":$id,"rating":4,"comment":"warm"}""").status)
        val afterReview = read()
        assertEquals("MISS", afterReview.first, "a review of the product evicts it")
        assertEquals("warm", afterReview.second.getValue("latest_review").jsonObject.getValue("comment").jsonPrimitive.content)
    }

    @Test
    fun `categories are written by staff only and a second review of a product is a conflict`() = shop {
        val alice = client.token("alice", "alice-pass")
        val admin = client.token("admin", "admin-pass")
        assertEquals(HttpStatusCode.Forbidden, client.send("POST", "/api/categories", alice, """{"name":"Toys","slug":"toys"}""").status)
        assertEquals(HttpStatusCode.Created, client.send("POST", "/api/categories", admin, """{"name":"Toys","slug":"toys"}""").status)

        val bob = client.token("bob", "bob-pass")
        val product = client.get("/api/products?page_size=1&order_by=-id").obj().getValue("results").jsonArray[0].jsonObject.getValue("id")
        val first = client.send("POST", "/api/reviews", bob, """{"product":$product,"rating":5,"comment":"great"}""")
        assertEquals(HttpStatusCode.Created, first.status, first.bodyAsText())
        val again = client.send("POST", "/api/reviews", bob, """{"product":$product,"rating":4,"comment":"still great"}""")
        assertEquals(HttpStatusCode.Conflict, again.status)
        assertEquals("conflict", again.code())
        val outOfRange = client.send("POST", "/api/reviews", alice, """{"product":$product,"rating":6,"comment":"!"}""")
        assertEquals(HttpStatusCode.BadRequest, outOfRange.status)
        val latest = client.get("/api/products/$product").obj().getValue("latest_review").jsonObject
        assertEquals(listOf("id", "rating", "comment"), latest.keys.toList())
        assertEquals("great", latest.getValue("comment").jsonPrimitive.content)
    }

    @Test
    fun `the list variants have their paginators' shapes`() = shop {
        val page = client.get("/api/products?page=2").obj()
        assertEquals(listOf("count", "next", "previous", "results"), page.keys.toList())
        assertEquals(20, page.getValue("results").jsonArray.size)
        assertEquals("http://localhost/api/products", page.getValue("previous").jsonPrimitive.content)
        val overshoot = client.get("/api/products?page=99")
        assertEquals(HttpStatusCode.NotFound, overshoot.status)
        assertEquals("Invalid page.", overshoot.obj().getValue("error").jsonObject.getValue("message").jsonPrimitive.content)
        assertEquals(listOf("results", "next", "previous"), client.get("/api/products/fast").obj().keys.toList())
        val cursor = client.get("/api/products/cursor?category=1").obj()
        assertEquals(listOf("next", "previous", "results"), cursor.keys.toList())
        val createdAt = cursor.getValue("results").jsonArray.map { it.jsonObject.getValue("created_at").jsonPrimitive.content }
        assertEquals(createdAt.sortedDescending(), createdAt)
        assertEquals(HttpStatusCode.BadRequest, client.get("/api/products/cursor?cursor=forged").status)
    }
}

class H2ShopFlowsTest : ShopFlowsContract() {
    override fun environment(): Map<String, String> =
        mapOf("DATABASE_URL" to SampleConfig.defaultH2Url(Files.createTempDirectory("flows").resolve("shop")))
}

class PostgresShopFlowsTest : ShopFlowsContract() {
    override fun environment(): Map<String, String> {
        val pg = TestServices.newPostgresDatabase()
        return mapOf("DATABASE_URL" to pg.jdbcUrl, "DATABASE_USER" to pg.user, "DATABASE_PASSWORD" to pg.password)
    }
}
