package dev.restflow.ktor.openapi

import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.testing.testApplication
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** The generated OpenAPI 3.1 document of [OpenApiTestApp]: what each registered route contributes. */
class OpenApiDocumentTest {
    private val doc = OpenApiTestApp.document()
    private val paths = doc.obj("paths")
    private val schemas = doc.obj("components").obj("schemas")

    private fun JsonElement.obj(key: String): JsonObject = jsonObject.getValue(key).jsonObject
    private fun JsonElement.str(key: String): String = jsonObject.getValue(key).jsonPrimitive.content
    private fun op(path: String, method: String) = paths.obj(path).obj(method)
    private fun params(op: JsonObject) = op.getValue("parameters").jsonArray.associateBy { it.str("name") }
    private fun refName(schema: JsonObject) = schema.str("\$ref").substringAfterLast('/')
    private fun okSchema(op: JsonObject, status: String = "200") = op.obj("responses").obj(status).obj("content").obj("application/json").obj("schema")
    private fun required(name: String) = schemas.obj(name).getValue("required").jsonArray.map { it.jsonPrimitive.content }

    @Test
    fun `the document is OpenAPI 3_1 with the configured info and servers, valid for swagger-parser`() {
        assertEquals("3.1.0", doc.str("openapi"))
        assertEquals("Test API", doc.obj("info").str("title"))
        assertEquals("2.0.0", doc.obj("info").str("version"))
        assertEquals("https://api.example", doc.getValue("servers").jsonArray[0].str("url"))
        val result = OpenApiTestApp.parse(OpenApiTestApp.served())
        assertEquals(emptyList(), result.messages.orEmpty())
        assertEquals("3.1.0", result.openAPI.openapi)
    }

    @Test
    fun `the YAML document parses to the same tree with zero messages`() {
        val yaml = OpenApiTestApp.served("/openapi.yaml")
        assertEquals(emptyList(), OpenApiTestApp.parse(yaml).messages.orEmpty())
        assertEquals(ObjectMapper().readTree(OpenApiTestApp.served()), ObjectMapper(YAMLFactory()).readTree(yaml))
    }

    @Test
    fun `the YAML writer quotes every string so nothing is misread`() {
        val tree = Js.obj("a" to "yes", "b" to "1.0", "c" to listOf("null", "- x", "line\nbreak", Js.obj()), "d" to Js.obj("e" to true, "f" to 2))
        val yaml = OpenApiYaml.write(tree)
        assertEquals(ObjectMapper().readTree(tree.toString()), ObjectMapper(YAMLFactory()).readTree(yaml))
    }

    @Test
    fun `every viewset action has an operation id, tags, a summary and typed path parameters`() {
        val ops = paths.flatMap { (path, methods) -> methods.jsonObject.map { (method, op) -> "${method.uppercase()} $path ${op.str("operationId")}" } }.toSet()
        for (expected in listOf(
            "GET /books books_list", "POST /books books_create", "GET /books/{id} books_retrieve", "PUT /books/{id} books_update",
            "PATCH /books/{id} books_partial_update", "DELETE /books/{id} books_destroy", "GET /books/recent books_recent",
            "GET /shelves shelves_list", "GET /shelves/all shelves_all_list", "GET /ping ping_get",
        )) assertTrue(expected in ops, "missing $expected in $ops")
        val retrieve = op("/books/{id}", "get")
        assertEquals(listOf("books"), retrieve.getValue("tags").jsonArray.map { it.jsonPrimitive.content })
        assertEquals("Retrieve Books", retrieve.str("summary"))
        val id = params(retrieve).getValue("id").jsonObject
        assertEquals("path", id.str("in"))
        assertEquals("integer", id.obj("schema").str("type"))
        assertEquals("One book, by id.", retrieve.str("description"), "added by operationId in the config")
    }

    @Test
    fun `every filter lookup and its negation twin is a parameter with drf-restflow's description`() {
        val p = params(op("/books", "get"))
        assertEquals("price is greater than or equal to", p.getValue("price__gte").str("description"))
        assertEquals("exclude where price is greater than or equal to", p.getValue("price__gte!").str("description"))
        for (name in listOf("title", "title!", "title__icontains", "title__icontains!", "price__lt", "shelf__in", "shelf__in!")) {
            assertTrue(name in p, "missing $name")
        }
        val shelfIn = p.getValue("shelf__in").jsonObject
        assertEquals("form", shelfIn.str("style"))
        assertEquals("false", shelfIn.str("explode"))
        assertEquals("array", shelfIn.obj("schema").str("type"))
        assertEquals("integer", shelfIn.obj("schema").obj("items").str("type"))
        val ordering = p.getValue("order_by").jsonObject.obj("schema")
        assertEquals(listOf("title", "-title", "price", "-price"), ordering.obj("items").getValue("enum").jsonArray.map { it.jsonPrimitive.content })
        assertEquals("false", p.getValue("order_by").str("explode"))
    }

    @Test
    fun `each paginator documents its parameters and its envelope`() {
        val books = op("/books", "get")
        val p = params(books)
        assertTrue("page" in p && "page_size" in p)
        assertEquals("100", p.getValue("page_size").obj("schema").str("maximum"))
        assertEquals(listOf("count", "next", "previous", "results"), required(refName(okSchema(books))))
        assertTrue("404" in books.obj("responses"), "an invalid page is a 404")

        val shelves = op("/shelves", "get")
        val sp = params(shelves)
        assertEquals("Number of results to return per page.", sp.getValue("limit").str("description"))
        assertEquals("50", sp.getValue("limit").obj("schema").str("maximum"))
        assertEquals("The initial index from which to return the results.", sp.getValue("offset").str("description"))
        assertEquals(listOf("count", "next", "previous", "results"), required(refName(okSchema(shelves))))

        val all = okSchema(op("/shelves/all", "get"))
        assertEquals("array", all.str("type"), "noPagination answers a plain array")
    }

    @Test
    fun `read-only fields are marked in responses and left out of requests, write-only fields appear only in requests`() {
        val account = schemas.obj("Account").obj("properties")
        assertEquals("true", account.obj("id").str("readOnly"))
        assertEquals("true", account.obj("joined").str("readOnly"))
        assertFalse("api_key" in account, "R-15: a write-only field is never in a response schema")
        val request = schemas.obj("AccountRequest").obj("properties")
        assertEquals("true", request.obj("api_key").str("writeOnly"))
        assertFalse("joined" in request || "id" in request)
        assertEquals(listOf("login", "api_key"), required("AccountRequest"))
        assertFalse("required" in schemas.obj("PatchedAccountRequest"), "PATCH requires nothing")
        assertEquals("PatchedAccountRequest", refName(op("/accounts/{id}", "patch").obj("requestBody").obj("content").obj("application/json").obj("schema")))
        val responses = paths.toString()
        assertFalse("api_key" in responses, "no operation mentions the secret inline")
    }

    @Test
    fun `typed serializers give component schemas from their descriptors on their own actions`() {
        val create = op("/books", "post")
        assertEquals("NewBook", refName(create.obj("requestBody").obj("content").obj("application/json").obj("schema")))
        assertEquals(listOf("title", "price"), required("NewBook"))
        val note = schemas.obj("NewBook").obj("properties").obj("note")
        assertEquals(listOf("string", "null"), note.getValue("type").jsonArray.map { it.jsonPrimitive.content })
        assertEquals("BookOut", refName(okSchema(op("/books/{id}", "get"))))
        assertEquals("ShelfOut", refName(schemas.obj("BookOut").obj("properties").obj("shelf")))
        assertEquals("BookRequest", refName(op("/books/{id}", "put").obj("requestBody").obj("content").obj("application/json").obj("schema")))
        assertEquals("Book", refName(okSchema(op("/books", "post"), "201")))
    }

    @Test
    fun `error responses refer to the shared error envelope by status`() {
        val envelope = schemas.obj("ErrorEnvelope")
        assertEquals(listOf("code", "message", "details"), envelope.obj("properties").obj("error").getValue("required").jsonArray.map { it.jsonPrimitive.content })
        val responses = doc.obj("components").obj("responses")
        for (name in listOf("BadRequest", "Unauthorized", "Forbidden", "NotFound", "MethodNotAllowed", "Conflict", "TooManyRequests", "InternalError")) {
            assertEquals("#/components/schemas/ErrorEnvelope", responses.obj(name).obj("content").obj("application/json").obj("schema").str("\$ref"))
        }
        val create = op("/books", "post").obj("responses")
        for ((status, name) in listOf("400" to "BadRequest", "401" to "Unauthorized", "403" to "Forbidden", "409" to "Conflict", "415" to "UnsupportedMediaType", "500" to "InternalError")) {
            assertEquals("#/components/responses/$name", create.obj(status).str("\$ref"))
        }
        assertFalse("403" in op("/books", "get").obj("responses"), "no permission on the list: no 403")
        assertTrue("429" in op("/accounts", "get").obj("responses"), "throttled")
        assertFalse("429" in op("/books", "get").obj("responses"))
        assertTrue("404" in op("/books/{id}", "delete").obj("responses"))
    }

    @Test
    fun `security follows each route's authentication`() {
        val schemes = doc.obj("components").obj("securitySchemes")
        assertEquals("basic", schemes.obj("basic").str("scheme"))
        assertEquals("bearer", schemes.obj("bearer").str("scheme"))
        fun security(op: JsonObject) = op.getValue("security").jsonArray.map { it.jsonObject.keys.joinToString() }
        assertEquals(listOf("basic", "bearer", ""), security(op("/books", "get")), "optional: anonymous too")
        assertEquals(listOf("basic"), security(op("/accounts", "get")))
        assertFalse("security" in op("/shelves", "get"))
        assertTrue("401" in op("/accounts/{id}", "get").obj("responses"))
    }

    @Test
    fun `users add to operations and hide routes`() {
        val ping = op("/ping", "get")
        assertEquals("Ping", ping.str("summary"))
        assertEquals(listOf("health"), ping.getValue("tags").jsonArray.map { it.jsonPrimitive.content })
        assertEquals("string", okSchema(ping).str("type"))
        assertFalse("/internal" in paths)
        assertFalse("/openapi.json" in paths || "/openapi.yaml" in paths || "/docs" in paths)
    }

    @Test
    fun `Swagger UI is served from the webjar`() = testApplication {
        application { with(OpenApiTestApp) { module(database()) } }
        val page = client.get("/docs")
        assertEquals(HttpStatusCode.OK, page.status)
        assertTrue("/docs/swagger-ui-bundle.js" in page.bodyAsText())
        assertEquals(HttpStatusCode.OK, client.get("/docs/swagger-ui-bundle.js").status)
        assertTrue("\"/openapi.json\"" in client.get("/docs/swagger-initializer.js").bodyAsText())
        assertEquals(HttpStatusCode.NotFound, client.get("/docs/nothing.js").status)
    }

    @Suppress("unused")
    private fun JsonArray.strings() = map { (it as JsonPrimitive).content }
}
