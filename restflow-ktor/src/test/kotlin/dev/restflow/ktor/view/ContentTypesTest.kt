package dev.restflow.ktor.view

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.error.ApiException
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.request.options
import io.ktor.client.request.patch
import io.ktor.client.request.post
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
import io.ktor.server.request.receiveText
import io.ktor.server.response.respondText
import io.ktor.server.routing.Route
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/** Per-action `consumes`/`produces`: 415 for a body of another type, 406 for an `Accept` no produced type satisfies. */
class ContentTypesTest {
    private val db = Database.connect("jdbc:h2:mem:media-${java.util.UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also {
        transaction(it) {
            SchemaUtils.create(Shelves)
            Shelves.insert { row -> row[name] = "fiction" }
        }
    }
    private val access = DatabaseAccess(db)
    private val mergePatch = ContentType("application", "merge-patch+json")
    private val shelfJson = ContentType("application", "vnd.shelf+json")

    private fun app(block: Route.() -> Unit, test: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        application {
            install(Restflow)
            routing { block() }
        }
        test()
    }

    private suspend fun HttpResponse.error(): JsonObject = Json.parseToJsonElement(bodyAsText()).jsonObject.getValue("error").jsonObject

    private fun names() = transaction(db) { Shelves.selectAll().orderBy(Shelves.id).map { it[Shelves.name] } }

    @Test
    fun `a body of a type the action does not consume is 415 unsupported_media_type and nothing is written`() = app({
        viewSet("/shelves", Shelves) {
            database(access)
            action(ViewAction.PARTIAL_UPDATE) { consumes(mergePatch) }
        }
    }) {
        val json = client.patch("/shelves/1") { contentType(ContentType.Application.Json); setBody("""{"name":"verse"}""") }
        assertEquals(HttpStatusCode.UnsupportedMediaType, json.status)
        val error = json.error()
        assertEquals("unsupported_media_type", error.getValue("code").jsonPrimitive.content)
        assertEquals("Unsupported media type \"application/json\" in request.", error.getValue("message").jsonPrimitive.content)
        assertEquals(listOf("fiction"), names())

        val merge = client.patch("/shelves/1") { contentType(mergePatch); setBody("""{"name":"verse"}""") }
        assertEquals(HttpStatusCode.OK, merge.status)
        assertEquals("""{"id":1,"name":"verse"}""", merge.bodyAsText())

        val text = client.post("/shelves") { contentType(ContentType.Text.Plain); setBody("name=poetry") }
        assertEquals(HttpStatusCode.UnsupportedMediaType, text.status)
        assertEquals("unsupported_media_type", text.error().getValue("code").jsonPrimitive.content)
        val untyped = client.post("/shelves") { setBody("""{"name":"poetry"}""") }
        assertEquals(HttpStatusCode.UnsupportedMediaType, untyped.status)
        assertEquals(listOf("verse"), names())
    }

    @Test
    fun `an Accept header no produced type satisfies is 406 not_acceptable, checked before the guards`() = app({
        viewSet("/shelves", Shelves) {
            database(access)
            guards(object : Guard {
                override suspend fun check(call: ApplicationCall) {
                    if (call.request.headers["X-Key"] != "k") throw ApiException.notAuthenticated()
                }
            })
        }
    }) {
        val csv = client.get("/shelves") { header(HttpHeaders.Accept, "text/csv") }
        assertEquals(HttpStatusCode.NotAcceptable, csv.status)
        assertEquals(
            """{"code":"not_acceptable","message":"Could not satisfy the request Accept header."}""",
            JsonObject(csv.error().filterKeys { it != "details" }).toString(),
        )
        assertEquals(HttpStatusCode.Unauthorized, client.get("/shelves") { header(HttpHeaders.Accept, "application/*") }.status)
        val weighted = client.get("/shelves") { header("X-Key", "k"); header(HttpHeaders.Accept, "text/csv, application/json;q=0.5") }
        assertEquals(HttpStatusCode.OK, weighted.status)
        assertEquals("application/json; charset=UTF-8", weighted.headers[HttpHeaders.ContentType])
        val refused = client.get("/shelves/1") { header("X-Key", "k"); header(HttpHeaders.Accept, "application/json;q=0, text/html") }
        assertEquals(HttpStatusCode.NotAcceptable, refused.status)
    }

    @Test
    fun `a repeated Accept value gets the same answer every time, per action, and a refused one stays refused`() = app({
        viewSet("/shelves", Shelves) {
            database(access)
            produces(ContentType.Application.Json, shelfJson)
            action(ViewAction.RETRIEVE) { produces(shelfJson) }
        }
    }) {
        repeat(3) {
            val list = client.get("/shelves") { header(HttpHeaders.Accept, "application/vnd.shelf+json, application/json;q=0.5") }
            assertEquals("application/vnd.shelf+json; charset=UTF-8", list.headers[HttpHeaders.ContentType])
            // the same value on another action, whose produces differ, is negotiated against that action's types
            val detail = client.get("/shelves/1") { header(HttpHeaders.Accept, "application/json") }
            assertEquals(HttpStatusCode.NotAcceptable, detail.status)
            val plain = client.get("/shelves") { header(HttpHeaders.Accept, "application/json") }
            assertEquals("application/json; charset=UTF-8", plain.headers[HttpHeaders.ContentType])
            assertEquals(HttpStatusCode.NotAcceptable, client.get("/shelves") { header(HttpHeaders.Accept, "text/csv") }.status)
        }
        // more distinct values than are remembered are still negotiated correctly
        for (i in 1..80) {
            val response = client.get("/shelves") { header(HttpHeaders.Accept, "text/x-$i, application/json;q=0.$i") }
            assertEquals(HttpStatusCode.OK, response.status, "value $i")
            assertEquals("application/json; charset=UTF-8", response.headers[HttpHeaders.ContentType])
        }
    }

    @Test
    fun `a viewset producing a vendor JSON type answers in the type the client asked for, and OPTIONS lists them`() = app({
        viewSet("/shelves", Shelves) {
            database(access)
            produces(ContentType.Application.Json, shelfJson)
            consumes(ContentType.Application.Json, mergePatch)
        }
    }) {
        val vendor = client.get("/shelves/1") { header(HttpHeaders.Accept, "application/vnd.shelf+json") }
        assertEquals("application/vnd.shelf+json; charset=UTF-8", vendor.headers[HttpHeaders.ContentType])
        assertEquals("""{"id":1,"name":"fiction"}""", vendor.bodyAsText())
        assertEquals("application/json; charset=UTF-8", client.get("/shelves/1").headers[HttpHeaders.ContentType])
        val options = Json.parseToJsonElement(client.options("/shelves").bodyAsText()).jsonObject
        assertEquals("""["application/json","application/vnd.shelf+json"]""", options.getValue("renders").toString())
        assertEquals("""["application/json","application/merge-patch+json"]""", options.getValue("parses").toString())
    }

    @Test
    fun `extra actions consume and produce any type and see the negotiated one`() = app({
        viewSet("/shelves", Shelves) {
            database(access)
            action("export", method = HttpMethod.Get) {
                produces(ContentType.Text.CSV, ContentType.Application.Json)
                handle { ctx ->
                    val names = ctx.viewSet.transaction { Shelves.selectAll().map { it[Shelves.name] } }
                    if (ctx.responseType.match(ContentType.Text.CSV)) {
                        ctx.call.respondText(names.joinToString("\n", prefix = "name\n"), ContentType.Text.CSV)
                    } else {
                        ctx.call.respondSerialized(kotlinx.serialization.json.JsonArray(names.map(::JsonPrimitive)))
                    }
                }
            }
            action("import", method = HttpMethod.Post) {
                consumes(ContentType.Text.CSV)
                handle { ctx ->
                    val lines = ctx.call.receiveText().lines().drop(1).filter { it.isNotBlank() }
                    ctx.viewSet.transaction { lines.forEach { line -> Shelves.insert { it[name] = line } } }
                    ctx.call.respondSerialized(JsonPrimitive(lines.size), HttpStatusCode.Created)
                }
            }
        }
    }) {
        val csv = client.get("/shelves/export")
        assertEquals("name\nfiction", csv.bodyAsText())
        assertEquals("text/csv; charset=UTF-8", csv.headers[HttpHeaders.ContentType])
        assertEquals("""["fiction"]""", client.get("/shelves/export") { header(HttpHeaders.Accept, "application/json") }.bodyAsText())
        assertEquals(HttpStatusCode.NotAcceptable, client.get("/shelves/export") { header(HttpHeaders.Accept, "application/xml") }.status)

        val json = client.post("/shelves/import") { contentType(ContentType.Application.Json); setBody("""["maps"]""") }
        assertEquals(HttpStatusCode.UnsupportedMediaType, json.status)
        val imported = client.post("/shelves/import") { contentType(ContentType.Text.CSV); setBody("name\nmaps\natlases\n") }
        assertEquals(HttpStatusCode.Created, imported.status)
        assertEquals(listOf("fiction", "maps", "atlases"), names())
        val options = Json.parseToJsonElement(client.options("/shelves/import").bodyAsText()).jsonObject
        assertEquals("""["text/csv"]""", options.getValue("parses").toString())
    }

    @Test
    fun `declaring a non-JSON type on a standard action is a declaration error`() {
        assertFailsWith<IllegalArgumentException> {
            testApplication {
                application { routing { viewSet("/shelves", Shelves) { action(ViewAction.LIST) { produces(ContentType.Text.CSV) } } } }
                client.get("/shelves")
            }
        }
    }
}
