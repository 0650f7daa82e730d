package dev.restflow.ktor.view.docs

import dev.restflow.exposed.filter.comparison
import dev.restflow.exposed.filter.filterSet
import dev.restflow.ktor.Restflow
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.permission.IsAuthenticatedOrReadOnly
import dev.restflow.ktor.serializer.WriteMode
import dev.restflow.ktor.serializer.requestSerializer
import dev.restflow.ktor.serializer.responseSerializer
import dev.restflow.ktor.serializer.serializer
import dev.restflow.ktor.view.Books
import dev.restflow.ktor.view.DatabaseAccess
import dev.restflow.ktor.view.Shelf
import dev.restflow.ktor.view.Shelves
import dev.restflow.ktor.view.ViewAction
import dev.restflow.ktor.view.listView
import dev.restflow.ktor.view.receiveValidated
import dev.restflow.ktor.view.respondSerialized
import dev.restflow.ktor.view.retrieveUpdateView
import dev.restflow.ktor.view.viewSet
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.request.options
import io.ktor.client.request.patch
import io.ktor.client.request.post
import io.ktor.client.request.setBody
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.contentType
import io.ktor.server.application.install
import io.ktor.server.response.respondText
import io.ktor.server.routing.post
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.insertAndGetId
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.math.BigDecimal
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals

/** The snippets of docs/views.md and docs/serializers.md, run as tests. */
class ViewsSnippets {
    private val db = Database.connect("jdbc:h2:mem:views-docs-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also {
        transaction(it) {
            SchemaUtils.create(Shelves, Books)
            val shelf = Shelves.insertAndGetId { row -> row[name] = "fiction" }
            Books.insert { row -> row[title] = "Dune"; row[price] = BigDecimal("12.50"); row[stock] = 3; row[Books.shelf] = shelf }
        }
    }

    // region table-serializer
    val books = serializer(Books) {
        readOnly(Books.published)                       // rendered, never accepted in a body
        rename(Books.shelf, "shelf_id")                 // default name: "shelf" (the column "shelf_id" without _id)
        validate(Books.title) { length(1..200) }
        validate(Books.price) { min(0); scale(2) }
        validate(Books.stock) { min(0) }
        computed("in_stock") { row -> row[Books.stock] > 0 }
        validate { data, errors ->                      // the whole body, after every field is valid
            if (data[Books.stock] == 0 && data[Books.price] == BigDecimal.ZERO) errors.addNonField("Free books must be in stock.")
        }
    }
    // endregion

    // region typed-serializers
    @Serializable
    data class BookOut(val id: Int, val title: String, val price: String)

    @Serializable
    data class Restock(val stock: Int, val note: String? = null)

    val bookOut = responseSerializer { row -> BookOut(row[Books.id].value, row[Books.title], row[Books.price].toPlainString()) }

    val restock = requestSerializer<Restock> {
        validate { input, errors -> if (input.stock > 1000) errors.add("stock", "Ensure this value is less than or equal to 1000.") }
        write { input, data ->
            data[Books.stock] = input.stock
            if (input.note != null) data[Books.note] = input.note
        }
    }
    // endregion

    @Test
    fun `a viewset serves the books`() = testApplication {
        application {
            val database = DatabaseAccess(db)
            // region viewset
            install(Restflow)
            routing {
                viewSet("/books", Books) {
                    database(database)                  // default: Exposed's default database on Dispatchers.IO (bounded)
                    serializer(books)
                    filters(filterSet(Books) {
                        field(Books.stock) { comparison() }
                        ordering { key("price", Books.price); key("title", Books.title) }
                    })
                    query { Books.selectAll().where { Books.published eq true } } // scopes every action
                    action(ViewAction.LIST) { serializer(bookOut) }                // a lighter list
                    action(ViewAction.PARTIAL_UPDATE) { requestSerializer(restock) }
                    beforeCreate { ctx -> ctx.data[Books.note] = "added through the API" }
                    beforeDestroy { ctx ->
                        if (ctx.instance!![Books.stock] > 0) throw ApiException.conflict("Books in stock cannot be deleted.")
                    }
                    action("publish", detail = true, method = HttpMethod.Post) {
                        handle { ctx ->
                            val id = ctx.row!![Books.id]
                            val row = ctx.viewSet.transaction {
                                Books.update({ Books.id eq id }) { it[published] = true }
                                Books.selectAll().where { Books.id eq id }.single()
                            }
                            ctx.call.respondSerialized(row, books)
                        }
                    }
                }
            }
            // endregion
        }
        assertEquals(
            """{"count":1,"next":null,"previous":null,"results":[{"id":1,"title":"Dune","price":"12.50"}]}""",
            client.get("/books?stock__gte=1&order_by=-price").bodyAsText(),
        )
        val restocked = client.patch("/books/1") { contentType(ContentType.Application.Json); setBody("""{"stock":0}""") }
        assertEquals(""""in_stock":false""", Regex("\"in_stock\":\\w+").find(restocked.bodyAsText())!!.value)
        val created = client.post("/books") {
            contentType(ContentType.Application.Json)
            setBody("""{"title":"Emma","price":"8","stock":1,"shelf_id":1}""")
        }
        assertEquals(HttpStatusCode.Created, created.status)
        assertEquals("added through the API", transaction(db) { Books.selectAll().where { Books.title eq "Emma" }.single()[Books.note] })
    }

    @Test
    fun `generic views and call helpers serve hand-written routes`() = testApplication {
        application {
            install(Restflow)
            val database = DatabaseAccess(db)
            routing {
                // region generic-views
                listView("/shelves", Shelves) { database(database) }
                retrieveUpdateView("/shelves/{id}", Shelves) { database(database) }
                // endregion
                // region call-helpers
                post("/books/{id}/restock") {
                    val data = call.receiveValidated(restock, WriteMode.PARTIAL, database = database)
                    val id = call.parameters["id"]?.toIntOrNull() ?: throw ApiException.notFound("Resource not found.")
                    val row = database.transaction {
                        Books.update({ Books.id eq id }) { data.applyTo(it) }
                        Books.selectAll().where { Books.id eq id }.singleOrNull()
                    } ?: throw ApiException.notFound("Resource not found.")
                    call.respondSerialized(row, bookOut)
                }
                // endregion
            }
        }
        assertEquals("""{"count":1,"next":null,"previous":null,"results":[{"id":1,"name":"fiction"}]}""", client.get("/shelves").bodyAsText())
        val restocked = client.post("/books/1/restock") { contentType(ContentType.Application.Json); setBody("""{"stock":5}""") }
        assertEquals("""{"id":1,"title":"Dune","price":"12.50"}""", restocked.bodyAsText())
        val tooMany = client.post("/books/1/restock") { contentType(ContentType.Application.Json); setBody("""{"stock":5000}""") }
        assertEquals(HttpStatusCode.BadRequest, tooMany.status)
    }

    @Test
    fun `OPTIONS describes the fields and actions declare their media types`() = testApplication {
        application {
            install(Restflow)
            val database = DatabaseAccess(db)
            routing {
                // region options-metadata
                viewSet("/shelves", Shelves) {
                    database(database)
                    description("Shelves of the shop.")
                    serializer(serializer(Shelves) { validate(Shelves.name) { length(2..40) } })
                    permissions(IsAuthenticatedOrReadOnly) // OPTIONS lists POST/PUT only for callers who may use them
                }
                // endregion
                // region content-types
                viewSet("/books", Books) {
                    database(database)
                    produces(ContentType.Application.Json, ContentType("application", "vnd.shop.book+json"))
                    action(ViewAction.PARTIAL_UPDATE) {
                        consumes(ContentType("application", "merge-patch+json")) // application/json is now a 415
                    }
                    action("export", method = HttpMethod.Get) {
                        produces(ContentType.Text.CSV, ContentType.Application.Json) // Accept: text/xml is a 406
                        handle { ctx ->
                            val titles = ctx.viewSet.transaction { Books.selectAll().map { it[Books.title] } }
                            if (ctx.responseType.match(ContentType.Text.CSV)) {
                                ctx.call.respondText(titles.joinToString("\n", "title\n"), ContentType.Text.CSV)
                            } else {
                                ctx.call.respondSerialized(JsonArray(titles.map(::JsonPrimitive)))
                            }
                        }
                    }
                }
                // endregion
            }
        }
        assertEquals(
            """{"name":"Shelves List","description":"Shelves of the shop.","renders":["application/json"],"parses":["application/json"]}""",
            client.options("/shelves").bodyAsText(),
        )
        assertEquals(HttpStatusCode.UnsupportedMediaType, client.patch("/books/1") { contentType(ContentType.Application.Json); setBody("{}") }.status)
        assertEquals("title\nDune", client.get("/books/export").bodyAsText())
        assertEquals(HttpStatusCode.NotAcceptable, client.get("/books/export") { header(HttpHeaders.Accept, "text/xml") }.status)
    }

    @Test
    fun `a viewset over a DAO entity class writes through the entity`() = testApplication {
        application {
            install(Restflow)
            val database = DatabaseAccess(db)
            routing {
                // region entity-viewset
                // class Shelf(id: EntityID<Int>) : IntEntity(id) { companion object : IntEntityClass<Shelf>(Shelves); var name by Shelves.name }
                viewSet("/shelves", Shelf) {                 // the entity class: reads query Shelves, writes go through Shelf
                    database(database)
                    afterCreate { ctx ->
                        val shelf = ctx.entity as Shelf          // already flushed: EntityHook saw the insert
                        shelf.name = shelf.name.trim()           // flushed with the transaction
                    }
                }
                // endregion
            }
        }
        val created = client.post("/shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"maps"}""") }
        assertEquals(HttpStatusCode.Created, created.status)
        assertEquals("""{"id":2,"name":"maps"}""", created.bodyAsText())
    }
}
