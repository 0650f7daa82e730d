package dev.restflow.ktor.view

import dev.restflow.exposed.filter.comparison
import dev.restflow.exposed.filter.filterSet
import dev.restflow.ktor.Restflow
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.serializer.requestSerializer
import dev.restflow.ktor.serializer.serializer
import io.ktor.client.request.delete
import io.ktor.client.request.get
import io.ktor.client.request.head
import io.ktor.client.request.header
import io.ktor.client.request.options
import io.ktor.client.request.patch
import io.ktor.client.request.post
import io.ktor.client.request.put
import io.ktor.client.request.setBody
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.contentType
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.routing.Route
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.insertAndGetId
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.math.BigDecimal
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The viewset's behaviour over real HTTP (Ktor's test engine), run on H2 and on PostgreSQL. */
abstract class ViewSetContract {
    protected abstract val db: Database
    private var shelfA = 0
    private var shelfB = 0

    @BeforeTest
    fun seed() {
        transaction(db) {
            SchemaUtils.drop(Books, Shelves)
            SchemaUtils.create(Shelves, Books)
            shelfA = Shelves.insertAndGetId { it[name] = "fiction" }.value
            shelfB = Shelves.insertAndGetId { it[name] = "science" }.value
            listOf(
                Triple("Dune", "12.50", 3), Triple("Emma", "8.00", 0), Triple("Ubik", "9.99", 7),
            ).forEach { (t, p, s) ->
                Books.insert {
                    it[title] = t; it[price] = BigDecimal(p); it[stock] = s; it[shelf] = shelfA; it[published] = t != "Ubik"
                }
            }
        }
    }

    private val access get() = DatabaseAccess(db)

    private val bookSerializer = serializer(Books) {
        readOnly(Books.published)
        validate(Books.title) { length(2..200) }
        validate(Books.price) { min(0) }
        validate(Books.stock) { min(0) }
    }

    private fun books(route: Route, block: ViewSetBuilder.() -> Unit = {}) {
        route.viewSet("/books", Books) {
            database(access)
            serializer(bookSerializer)
            filters(filterSet(Books) { field(Books.stock) { comparison() }; ordering { key("price", Books.price) } })
            block()
        }
    }

    private fun app(block: Route.() -> Unit, test: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        application {
            install(Restflow)
            routing { block() }
        }
        test()
    }

    private suspend fun HttpResponse.json(): JsonElement = Json.parseToJsonElement(bodyAsText())
    private suspend fun HttpResponse.error(): JsonObject = json().jsonObject.getValue("error").jsonObject
    private fun count(): Long = transaction(db) { Books.selectAll().count() }

    private suspend fun ApplicationTestBuilder.postJson(path: String, body: String, method: HttpMethod = HttpMethod.Post) =
        client.request(path, method, body)

    private suspend fun io.ktor.client.HttpClient.request(path: String, method: HttpMethod, body: String): HttpResponse = when (method) {
        HttpMethod.Put -> put(path) { contentType(ContentType.Application.Json); setBody(body) }
        HttpMethod.Patch -> patch(path) { contentType(ContentType.Application.Json); setBody(body) }
        else -> post(path) { contentType(ContentType.Application.Json); setBody(body) }
    }

    @Test
    fun `list renders every row with column-typed JSON in id order`() = app({ books(this) }) {
        val response = client.get("/books")
        assertEquals(HttpStatusCode.OK, response.status)
        val rows = response.json().jsonObject.getValue("results").jsonArray
        assertEquals(listOf("Dune", "Emma", "Ubik"), rows.map { it.jsonObject.getValue("title").jsonPrimitive.content })
        val dune = rows[0].jsonObject
        assertEquals("\"12.50\"", dune.getValue("price").toString(), "decimals are strings with the column's scale")
        assertEquals("\"8.00\"", rows[1].jsonObject.getValue("price").toString())
        assertEquals(shelfA.toString(), dune.getValue("shelf").toString(), "a reference renders as its id, named without _id")
        assertEquals("3", dune.getValue("stock").toString())
        assertEquals("true", dune.getValue("published").toString())
        assertEquals("null", dune.getValue("note").toString())
        assertEquals(listOf("id", "title", "price", "stock", "shelf", "published", "note"), dune.keys.toList())
    }

    @Test
    fun `list applies the filter set and its ordering, and rejects bad parameters with a keyed 400`() = app({ books(this) }) {
        val filtered = client.get("/books?stock__gt=0&order_by=-price").json().jsonObject.getValue("results").jsonArray
        assertEquals(listOf("Dune", "Ubik"), filtered.map { it.jsonObject.getValue("title").jsonPrimitive.content })
        val bad = client.get("/books?stock__gt=many")
        assertEquals(HttpStatusCode.BadRequest, bad.status)
        assertTrue("stock__gt" in bad.error().getValue("details").jsonObject)
    }

    @Test
    fun `retrieve finds a row, and an unparseable or unknown id is 404 Resource not found`() = app({ books(this) }) {
        val ok = client.get("/books/1")
        assertEquals(HttpStatusCode.OK, ok.status)
        assertEquals("Dune", ok.json().jsonObject.getValue("title").jsonPrimitive.content)
        for (path in listOf("/books/999", "/books/abc", "/books/1.5", "/books/99999999999999999999", "/books/%00")) {
            val missing = client.get(path)
            assertEquals(HttpStatusCode.NotFound, missing.status, path)
            assertEquals("Resource not found.", missing.error().getValue("message").jsonPrimitive.content, path)
        }
    }

    @Test
    fun `create answers 201 with Location and the stored row`() = app({ books(this) }) {
        val created = postJson("/books", """{"title":"Solaris","price":"7.5","stock":2,"shelf":$shelfB}""")
        assertEquals(HttpStatusCode.Created, created.status, created.bodyAsText())
        val body = created.json().jsonObject
        val id = body.getValue("id").jsonPrimitive.content
        assertEquals("\"7.50\"", body.getValue("price").toString())
        assertEquals("true", body.getValue("published").toString(), "the column default applies")
        assertEquals("http://localhost/books/$id", created.headers[HttpHeaders.Location])
        assertEquals(HttpStatusCode.OK, client.get("/books/$id").status)
        assertEquals(4, count())
    }

    @Test
    fun `create reports every field problem with DRF's messages and writes nothing`() = app({ books(this) }) {
        val missing = postJson("/books", """{}""").error()
        assertEquals("validation_error", missing.getValue("code").jsonPrimitive.content)
        val details = missing.getValue("details").jsonObject
        for (field in listOf("title", "price", "stock", "shelf")) {
            assertEquals("[\"This field is required.\"]", details.getValue(field).toString(), field)
        }
        assertFalse("note" in details, "nullable fields are optional")
        assertFalse("published" in details, "fields with defaults are optional")

        val wrong = postJson("/books", """{"title":" ","price":"1.234","stock":"x","shelf":999,"note":5}""").error()
            .getValue("details").jsonObject
        assertEquals("[\"This field may not be blank.\"]", wrong.getValue("title").toString())
        assertEquals("[\"Ensure that there are no more than 2 decimal places.\"]", wrong.getValue("price").toString())
        assertEquals("[\"A valid integer is required.\"]", wrong.getValue("stock").toString())
        assertEquals("[\"Invalid pk \\\"999\\\" - object does not exist.\"]", wrong.getValue("shelf").toString())

        val rules = postJson("/books", """{"title":"X","price":"-1","stock":-2,"shelf":true}""").error().getValue("details").jsonObject
        assertEquals("[\"Ensure this field has at least 2 characters.\"]", rules.getValue("title").toString())
        assertEquals("[\"Ensure this value is greater than or equal to 0.\"]", rules.getValue("price").toString())
        assertEquals("[\"Ensure this value is greater than or equal to 0.\"]", rules.getValue("stock").toString())
        assertEquals("[\"Incorrect type. Expected pk value, received bool.\"]", rules.getValue("shelf").toString())

        val long = postJson("/books", """{"title":"${"a".repeat(201)}","price":1,"stock":1,"shelf":$shelfA}""").error()
        assertEquals("[\"Ensure this field has no more than 200 characters.\"]", long.getValue("details").jsonObject.getValue("title").toString())
        assertEquals(3, count())
    }

    @Test
    fun `strict mode rejects unknown and read-only fields as a whole (R-14)`() = app({ books(this) }) {
        val body = """{"title":"Solaris","price":"7.50","stock":2,"shelf":$shelfB,"id":77,"published":false,"is_admin":true}"""
        val response = postJson("/books", body)
        assertEquals(HttpStatusCode.BadRequest, response.status)
        val details = response.error().getValue("details").jsonObject
        assertEquals("[\"This field is read-only.\"]", details.getValue("id").toString())
        assertEquals("[\"This field is read-only.\"]", details.getValue("published").toString())
        assertEquals("[\"Unknown field.\"]", details.getValue("is_admin").toString())
        assertEquals(3, count())
    }

    @Test
    fun `bodies that are not JSON objects are rejected before anything is written`() = app({ books(this) }) {
        val malformed = postJson("/books", """{"title":""")
        assertEquals(HttpStatusCode.BadRequest, malformed.status)
        assertEquals("parse_error", malformed.error().getValue("code").jsonPrimitive.content)
        val list = postJson("/books", """[1,2]""").error()
        assertEquals("[\"Invalid data. Expected a dictionary, but got list.\"]", list.getValue("details").jsonObject.getValue("non_field_errors").toString())
        val text = client.post("/books") { contentType(ContentType.Text.Plain); setBody("title=x") }
        assertEquals(HttpStatusCode.UnsupportedMediaType, text.status)
        assertEquals(3, count())
    }

    @Test
    fun `PUT requires every required field and PATCH only the ones given`() = app({ books(this) }) {
        val put = postJson("/books/1", """{"title":"Dune Messiah"}""", HttpMethod.Put)
        assertEquals(HttpStatusCode.BadRequest, put.status)
        assertEquals(setOf("price", "stock", "shelf"), put.error().getValue("details").jsonObject.keys)

        val full = postJson("/books/1", """{"title":"Dune Messiah","price":"13","stock":1,"shelf":$shelfB}""", HttpMethod.Put)
        assertEquals(HttpStatusCode.OK, full.status)
        assertEquals("\"13.00\"", full.json().jsonObject.getValue("price").toString())

        val patch = postJson("/books/1", """{"stock":9}""", HttpMethod.Patch)
        assertEquals(HttpStatusCode.OK, patch.status)
        val row = patch.json().jsonObject
        assertEquals("9", row.getValue("stock").toString())
        assertEquals("Dune Messiah", row.getValue("title").jsonPrimitive.content)

        val badPatch = postJson("/books/1", """{"stock":-1}""", HttpMethod.Patch)
        assertEquals(HttpStatusCode.BadRequest, badPatch.status)
        assertEquals("9", client.get("/books/1").json().jsonObject.getValue("stock").toString(), "nothing written")
    }

    @Test
    fun `destroy answers 204 with an empty body and the row is gone`() = app({ books(this) }) {
        val response = client.delete("/books/2")
        assertEquals(HttpStatusCode.NoContent, response.status)
        assertEquals("", response.bodyAsText())
        assertEquals(HttpStatusCode.NotFound, client.get("/books/2").status)
        assertEquals(HttpStatusCode.NotFound, client.delete("/books/2").status)
        assertEquals(2, count())
    }

    @Test
    fun `a database constraint violation is a 409 conflict, not a 500`() = app({
        viewSet("/shelves", Shelves) { database(access) }
        books(this)
    }) {
        val duplicate = postJson("/shelves", """{"name":"fiction"}""")
        assertEquals(HttpStatusCode.Conflict, duplicate.status)
        assertEquals("conflict", duplicate.error().getValue("code").jsonPrimitive.content)
        val referenced = client.delete("/shelves/$shelfA")
        assertEquals(HttpStatusCode.Conflict, referenced.status)
        assertEquals(3, count())
    }

    @Test
    fun `query scoping hides rows from retrieve, update and destroy (R-12, R-13)`() = app({
        books(this) { query { Books.selectAll().where { Books.published eq true } } }
    }) {
        val hidden = 3 // Ubik is not published
        assertEquals(listOf("Dune", "Emma"), client.get("/books").json().jsonObject.getValue("results").jsonArray.map { it.jsonObject.getValue("title").jsonPrimitive.content })
        assertEquals(HttpStatusCode.NotFound, client.get("/books/$hidden").status)
        assertEquals(HttpStatusCode.NotFound, postJson("/books/$hidden", """{"stock":1}""", HttpMethod.Patch).status)
        assertEquals(HttpStatusCode.NotFound, client.delete("/books/$hidden").status)
        assertEquals(7, transaction(db) { Books.selectAll().where { Books.id eq hidden }.single()[Books.stock] })
    }

    @Test
    fun `a read-only viewset answers 405 with Allow, HEAD without a body and OPTIONS with Allow`() = app({
        books(this) { readOnly() }
    }) {
        val post = postJson("/books", """{}""")
        assertEquals(HttpStatusCode.MethodNotAllowed, post.status)
        assertEquals("GET, HEAD, OPTIONS", post.headers[HttpHeaders.Allow])
        assertEquals("method_not_allowed", post.error().getValue("code").jsonPrimitive.content)
        val delete = client.delete("/books/1")
        assertEquals(HttpStatusCode.MethodNotAllowed, delete.status)
        assertEquals("GET, HEAD, OPTIONS", delete.headers[HttpHeaders.Allow])

        val head = client.head("/books/1")
        assertEquals(HttpStatusCode.OK, head.status)
        assertEquals("", head.bodyAsText())
        assertEquals(client.get("/books/1").bodyAsText().toByteArray().size.toString(), head.headers[HttpHeaders.ContentLength])

        val options = client.options("/books")
        assertEquals(HttpStatusCode.OK, options.status)
        assertEquals("GET, HEAD, OPTIONS", options.headers[HttpHeaders.Allow])
        assertEquals("Books List", options.json().jsonObject.getValue("name").jsonPrimitive.content)
    }

    @Test
    fun `guards run before the 405, as DRF checks permissions before the method`() = app({
        books(this) {
            readOnly()
            guards(object : Guard {
                override suspend fun check(call: ApplicationCall) {
                    if (call.request.headers["X-Key"] != "k") throw ApiException.notAuthenticated()
                }
            })
        }
    }) {
        assertEquals(HttpStatusCode.Unauthorized, client.delete("/books/1").status)
        assertEquals(HttpStatusCode.MethodNotAllowed, client.delete("/books/1") { header("X-Key", "k") }.status)
        assertEquals(HttpStatusCode.Unauthorized, client.get("/books").status)
        assertEquals(HttpStatusCode.OK, client.get("/books") { header("X-Key", "k") }.status)
    }

    @Test
    fun `object guards see the row on retrieve, update and destroy`() = app({
        books(this) {
            guards(object : Guard {
                override suspend fun check(call: ApplicationCall) {}
                override suspend fun checkObject(call: ApplicationCall, obj: Any) {
                    val row = obj as org.jetbrains.exposed.v1.core.ResultRow
                    if (row[Books.stock] == 0) throw ApiException.permissionDenied()
                }
            })
        }
    }) {
        assertEquals(HttpStatusCode.OK, client.get("/books/1").status)
        assertEquals(HttpStatusCode.Forbidden, client.get("/books/2").status)
        assertEquals(HttpStatusCode.Forbidden, postJson("/books/2", """{"stock":5}""", HttpMethod.Patch).status)
        assertEquals(HttpStatusCode.Forbidden, client.delete("/books/2").status)
        assertEquals(3, count())
    }

    @Test
    fun `hooks run in the write's transaction and a failing hook rolls the write back`() = app({
        books(this) {
            beforeCreate { it.data[Books.note] = "created by hook" }
            afterCreate { if (it.row!![Books.title] == "Boom") throw ApiException.conflict("No booms.") }
            beforeUpdate { ctx -> if (ctx.instance!![Books.stock] == 0) ctx.data[Books.note] = "restocked" }
            beforeDestroy { if (it.instance!![Books.title] == "Dune") throw ApiException.permissionDenied("Keep Dune.") }
        }
    }) {
        val created = postJson("/books", """{"title":"Solaris","price":1,"stock":1,"shelf":$shelfA}""")
        assertEquals("created by hook", created.json().jsonObject.getValue("note").jsonPrimitive.content)
        val boom = postJson("/books", """{"title":"Boom","price":1,"stock":1,"shelf":$shelfA}""")
        assertEquals(HttpStatusCode.Conflict, boom.status)
        assertEquals(4, count(), "the insert of Boom rolled back with the failing after-hook")
        val patched = postJson("/books/2", """{"stock":4}""", HttpMethod.Patch).json().jsonObject
        assertEquals("restocked", patched.getValue("note").jsonPrimitive.content)
        assertEquals(HttpStatusCode.Forbidden, client.delete("/books/1").status)
        assertEquals(HttpStatusCode.OK, client.get("/books/1").status)
    }

    @Serializable
    data class StockIn(val stock: Int)

    @Test
    fun `per-action serializers and the request-response split`() = app({
        books(this) {
            action(ViewAction.LIST) { serializer(serializer(Books) { fields(Books.id, Books.title) }) }
            action(ViewAction.PARTIAL_UPDATE) {
                requestSerializer(requestSerializer<StockIn> {
                    validate { input, errors -> if (input.stock > 100) errors.add("stock", "Too many.") }
                    write { input, data -> data[Books.stock] = input.stock }
                })
            }
        }
    }) {
        assertEquals(setOf("id", "title"), client.get("/books").json().jsonObject.getValue("results").jsonArray[0].jsonObject.keys)
        assertEquals(7, client.get("/books/1").json().jsonObject.keys.size)
        val patched = postJson("/books/1", """{"stock":11}""", HttpMethod.Patch)
        assertEquals("11", patched.json().jsonObject.getValue("stock").toString(), "the response uses the viewset serializer")
        val tooMany = postJson("/books/1", """{"stock":101}""", HttpMethod.Patch)
        assertEquals("[\"Too many.\"]", tooMany.error().getValue("details").jsonObject.getValue("stock").toString())
        val typed = postJson("/books/1", """{"stock":"eleven","title":"x"}""", HttpMethod.Patch).error().getValue("details").jsonObject
        assertEquals("[\"A valid integer is required.\"]", typed.getValue("stock").toString())
        assertEquals("[\"Unknown field.\"]", typed.getValue("title").toString())
    }

    @Test
    fun `extra actions are served on the collection and on one row`() = app({
        books(this) {
            action("publish", detail = true, method = HttpMethod.Post) {
                handle { ctx ->
                    val id = ctx.row!![Books.id]
                    val row = ctx.viewSet.transaction {
                        Books.update({ Books.id eq id }) { it[published] = true }
                        Books.selectAll().where { Books.id eq id }.single()
                    }
                    ctx.call.respondSerialized(row, ctx.viewSet.responseSerializer(ViewAction.RETRIEVE))
                }
            }
            action("count") { handle { ctx -> ctx.call.respondSerialized(JsonArray(emptyList()), status = HttpStatusCode.OK) } }
        }
    }) {
        val published = client.post("/books/3/publish")
        assertEquals(HttpStatusCode.OK, published.status, published.bodyAsText())
        assertEquals("true", published.json().jsonObject.getValue("published").toString())
        assertEquals(HttpStatusCode.NotFound, client.post("/books/999/publish").status)
        assertEquals(HttpStatusCode.MethodNotAllowed, client.get("/books/3/publish").status)
        assertEquals("[]", client.get("/books/count").bodyAsText())
    }

    @Test
    fun `retrieve can be response-cached, and guards still run before a cached answer`() = app({
        books(this) {
            guards(object : Guard {
                override suspend fun check(call: ApplicationCall) {
                    if (call.request.headers["X-Block"] != null) throw ApiException.permissionDenied()
                }
            })
            action(ViewAction.RETRIEVE) { responseCache { partition { it.parameters["id"] } } }
        }
    }) {
        val first = client.get("/books/1")
        assertEquals("MISS", first.headers["X-Cache-Status"])
        transaction(db) { Books.update({ Books.id eq 1 }) { it[title] = "Changed behind the cache" } }
        val second = client.get("/books/1")
        assertEquals("HIT", second.headers["X-Cache-Status"])
        assertEquals(first.bodyAsText(), second.bodyAsText())
        assertEquals(HttpStatusCode.Forbidden, client.get("/books/1") { header("X-Block", "1") }.status)
        assertNull(client.get("/books").headers["X-Cache-Status"], "only the retrieve action is cached")
    }

    @Test
    fun `lists are paginated by page number by default with absolute links that keep the other parameters`() = app({ books(this) }) {
        val first = client.get("/books?page_size=2&order_by=price").json().jsonObject
        assertEquals(listOf("count", "next", "previous", "results"), first.keys.toList())
        assertEquals("3", first.getValue("count").toString())
        assertEquals("http://localhost/books?page_size=2&order_by=price&page=2", first.getValue("next").jsonPrimitive.content)
        assertEquals("null", first.getValue("previous").toString())
        val second = client.get("/books?page_size=2&order_by=price&page=2").json().jsonObject
        assertEquals(listOf("Dune"), second.getValue("results").jsonArray.map { it.jsonObject.getValue("title").jsonPrimitive.content })
        assertEquals("http://localhost/books?page_size=2&order_by=price", second.getValue("previous").jsonPrimitive.content)
        for (bad in listOf("3", "0", "abc")) {
            val response = client.get("/books?page_size=2&page=$bad")
            assertEquals(HttpStatusCode.NotFound, response.status, bad)
            assertEquals("Invalid page.", response.error().getValue("message").jsonPrimitive.content)
        }
    }

    @Test
    fun `pagination is chosen per viewset and per action`() = app({
        books(this) { pagination(dev.restflow.exposed.pagination.Paginators.fastPageNumber(pageSize = 2)) }
        viewSet("/shelves", Shelves) {
            database(access)
            noPagination()
        }
        route("/cursor") {
            books(this) {
                action(ViewAction.LIST) {
                    pagination(dev.restflow.exposed.pagination.Paginators.cursor(listOf(Books.id to org.jetbrains.exposed.v1.core.SortOrder.DESC), ByteArray(32) { 1 }, pageSize = 2))
                }
            }
        }
    }) {
        val fast = client.get("/books").json().jsonObject
        assertEquals(listOf("results", "next", "previous"), fast.keys.toList())
        assertEquals("http://localhost/books?page=2", fast.getValue("next").jsonPrimitive.content)
        assertEquals("[{\"id\":1,\"name\":\"fiction\"},{\"id\":2,\"name\":\"science\"}]", client.get("/shelves").bodyAsText())
        val cursor = client.get("/cursor/books").json().jsonObject
        assertEquals(listOf("next", "previous", "results"), cursor.keys.toList())
        assertEquals(listOf("Ubik", "Emma"), cursor.getValue("results").jsonArray.map { it.jsonObject.getValue("title").jsonPrimitive.content })
        val tampered = client.get("/cursor/books?cursor=abc.def")
        assertEquals(HttpStatusCode.BadRequest, tampered.status)
        assertEquals("[\"Invalid cursor.\"]", tampered.error().getValue("details").jsonObject.getValue("cursor").toString())
    }

    @Test
    fun `PostFetch attaches the latest related row to each listed and retrieved row`() = app({
        viewSet("/shelves", Shelves) {
            database(access)
            postFetch(dev.restflow.exposed.postfetch.PostFetch(
                Books, "latest_book", listOf(Books.shelf to Shelves.id), listOf(Books.id, Books.title),
                listOf(Books.id to org.jetbrains.exposed.v1.core.SortOrder.DESC), limit = 1,
            ))
        }
    }) {
        val shelves = client.get("/shelves").json().jsonObject.getValue("results").jsonArray
        assertEquals("""{"id":3,"title":"Ubik"}""", shelves[0].jsonObject.getValue("latest_book").toString())
        assertEquals("null", shelves[1].jsonObject.getValue("latest_book").toString())
        assertEquals("""{"id":3,"title":"Ubik"}""", client.get("/shelves/$shelfA").json().jsonObject.getValue("latest_book").toString())
    }

    @Test
    fun `a missing serializer defaults to every column of the table`() = app({ viewSet("/shelves", Shelves) { database(access) } }) {
        val shelves = client.get("/shelves").json().jsonObject.getValue("results").jsonArray
        assertEquals(listOf("fiction", "science"), shelves.map { it.jsonObject.getValue("name").jsonPrimitive.content })
        assertNull(shelves[0].jsonObject["missing"])
    }
}

class H2ViewSetTest : ViewSetContract() {
    override val db: Database = Database.connect("jdbc:h2:mem:views-${java.util.UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
}

class PostgresViewSetTest : ViewSetContract() {
    override val db: Database = shared

    private companion object {
        val shared: Database by lazy {
            val pg = dev.restflow.testing.TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
