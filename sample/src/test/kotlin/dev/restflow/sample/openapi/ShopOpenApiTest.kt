package dev.restflow.sample.openapi

import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory
import dev.restflow.sample.SampleConfig
import dev.restflow.sample.database.ShopDatabase
import dev.restflow.sample.shopModule
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.testing.testApplication
import io.swagger.v3.parser.OpenAPIV3Parser
import io.swagger.v3.parser.core.models.ParseOptions
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The sample's generated OpenAPI document: valid for an independent parser, equal to the committed snapshot
 * (`src/test/resources/openapi/shop-openapi.json`; regenerate with `-Drestflow.openapi.update=true`), and complete.
 */
class ShopOpenApiTest {
    @TempDir
    lateinit var dir: Path

    private class Served(val json: String, val yaml: String, val docs: String, val docsStatus: HttpStatusCode, val bundle: HttpStatusCode)

    private fun serve(): Served {
        val config = SampleConfig.fromEnvironment(emptyMap(), dir)
        lateinit var served: Served
        ShopDatabase.open(config).use { database ->
            testApplication {
                application { shopModule(config, database) }
                val docs = client.get("/docs")
                served = Served(
                    client.get("/openapi.json").bodyAsText(), client.get("/openapi.yaml").bodyAsText(),
                    docs.bodyAsText(), docs.status, client.get("/docs/swagger-ui-bundle.js").status,
                )
            }
        }
        return served
    }

    private fun parse(text: String) = OpenAPIV3Parser().readContents(text, null, ParseOptions().apply { isResolve = true })

    @Test
    fun `the document is valid OpenAPI 3_1 for swagger-parser, as JSON and as YAML, with zero messages`() {
        val served = serve()
        for (text in listOf(served.json, served.yaml)) {
            val result = parse(text)
            assertEquals(emptyList(), result.messages.orEmpty())
            assertNotNull(result.openAPI)
            assertEquals("3.1.0", result.openAPI.openapi)
            assertTrue(result.openAPI.paths.containsKey("/api/products/{id}"))
        }
        // the YAML says exactly what the JSON says
        val fromJson = ObjectMapper().readTree(served.json)
        val fromYaml = ObjectMapper(YAMLFactory()).readTree(served.yaml)
        assertEquals(fromJson, fromYaml)
    }

    @Test
    fun `the document matches the committed snapshot`() {
        val json = serve().json
        val snapshot = Paths.get("src/test/resources/openapi/shop-openapi.json")
        if (System.getProperty("restflow.openapi.update") == "true" || System.getenv("RESTFLOW_OPENAPI_UPDATE") == "true") {
            Files.createDirectories(snapshot.parent)
            Files.writeString(snapshot, json + "\n")
        }
        assertTrue(Files.exists(snapshot), "No snapshot: run the tests with -Drestflow.openapi.update=true and commit it")
        assertEquals(
            Files.readString(snapshot).trimEnd(), json.trimEnd(),
            "The OpenAPI document changed: if intended, run with -Drestflow.openapi.update=true and commit the snapshot",
        )
    }

    @Test
    fun `Swagger UI is served from the webjar at docs`() {
        val served = serve()
        assertEquals(HttpStatusCode.OK, served.docsStatus)
        assertTrue("swagger-ui-bundle.js" in served.docs)
        assertFalse("http" in served.docs.substringAfter("<body>"), "no CDN")
        assertEquals(HttpStatusCode.OK, served.bundle)
    }

    @Test
    fun `every route of the shop is documented with filters, variants, negations, ordering, envelopes, errors and security`() {
        val doc = Json.parseToJsonElement(serve().json).jsonObject
        val paths = doc.getValue("paths").jsonObject
        for (path in listOf(
            "/health", "/api/auth/token", "/api/auth/token/refresh", "/api/auth/token/blacklist", "/api/me",
            "/api/categories", "/api/categories/{id}", "/api/products", "/api/products/{id}", "/api/products/fast",
            "/api/products/cursor", "/api/products/export", "/api/products/export.ndjson", "/api/reviews", "/api/reviews/{id}",
        )) assertTrue(path in paths, "missing $path")
        assertFalse("/openapi.json" in paths || "/docs" in paths, "the document routes are hidden")

        val list = paths.getValue("/api/products").jsonObject.getValue("get").jsonObject
        assertEquals("api_products_list", list.getValue("operationId").jsonPrimitive.content)
        val params = list.getValue("parameters").jsonArray.associateBy { it.jsonObject.getValue("name").jsonPrimitive.content }
        fun description(name: String) = params.getValue(name).jsonObject.getValue("description").jsonPrimitive.content
        assertEquals("price is greater than or equal to", description("price__gte"))
        assertEquals("exclude where price is greater than or equal to", description("price__gte!"))
        for (name in listOf("name", "name__icontains", "name__istartswith", "price__range", "stock__lt", "in_stock", "category__in",
            "category__slug", "owner", "tags__contains", "created_at__year", "created_at__month", "created_at__date", "q", "page", "page_size")) {
            assertTrue(name in params, "missing parameter $name")
        }
        val categoryIn = params.getValue("category__in").jsonObject
        assertEquals("form", categoryIn.getValue("style").jsonPrimitive.content)
        assertEquals("false", categoryIn.getValue("explode").jsonPrimitive.content)
        val ordering = params.getValue("order_by").jsonObject.getValue("schema").jsonObject.getValue("items").jsonObject
        assertEquals(
            listOf("id", "-id", "name", "-name", "price", "-price", "stock", "-stock", "created_at", "-created_at"),
            ordering.getValue("enum").jsonArray.map { it.jsonPrimitive.content },
        )

        val schemas = doc.getValue("components").jsonObject.getValue("schemas").jsonObject
        fun okRef(op: JsonObject) = op.getValue("responses").jsonObject.getValue("200").jsonObject.getValue("content").jsonObject
            .getValue("application/json").jsonObject.getValue("schema").jsonObject.getValue("\$ref").jsonPrimitive.content.substringAfterLast('/')
        assertEquals(listOf("count", "next", "previous", "results"), keys(schemas, okRef(list)))
        val fast = paths.getValue("/api/products/fast").jsonObject.getValue("get").jsonObject
        assertEquals(listOf("results", "next", "previous"), keys(schemas, okRef(fast)))
        val cursor = paths.getValue("/api/products/cursor").jsonObject.getValue("get").jsonObject
        assertEquals(listOf("next", "previous", "results"), keys(schemas, okRef(cursor)))
        assertTrue(cursor.getValue("parameters").jsonArray.any { it.jsonObject.getValue("name").jsonPrimitive.content == "cursor" })

        val product = schemas.getValue("Product").jsonObject.getValue("properties").jsonObject
        assertEquals("true", product.getValue("owner").jsonObject.getValue("readOnly").jsonPrimitive.content)
        assertTrue("latest_review" in product)
        val request = schemas.getValue("ProductRequest").jsonObject
        assertFalse("owner" in request.getValue("properties").jsonObject, "read-only fields are not in request bodies")
        assertEquals(listOf("name", "price", "stock", "category"), request.getValue("required").jsonArray.map { it.jsonPrimitive.content })

        val update = paths.getValue("/api/products/{id}").jsonObject.getValue("put").jsonObject
        val statuses = update.getValue("responses").jsonObject.keys
        for (status in listOf("200", "400", "401", "403", "404", "409", "415", "500")) assertTrue(status in statuses, "PUT lacks $status")
        assertEquals("#/components/responses/Forbidden", update.getValue("responses").jsonObject.getValue("403").jsonObject.getValue("\$ref").jsonPrimitive.content)
        assertEquals(
            listOf("jwt", ""),
            update.getValue("security").jsonArray.map { it.jsonObject.keys.firstOrNull().orEmpty() },
        )
        val jwt = doc.getValue("components").jsonObject.getValue("securitySchemes").jsonObject.getValue("jwt").jsonObject
        assertEquals("bearer", jwt.getValue("scheme").jsonPrimitive.content)
        assertTrue("429" in paths.getValue("/api/auth/token").jsonObject.getValue("post").jsonObject.getValue("responses").jsonObject)
        val errorEnvelope = schemas.getValue("ErrorEnvelope").jsonObject
        assertEquals(listOf("error"), errorEnvelope.getValue("required").jsonArray.map { it.jsonPrimitive.content })

        // the password is write-only in the token request and appears nowhere else
        val obtain = schemas.getValue("TokenObtainRequest").jsonObject.getValue("properties").jsonObject.getValue("password").jsonObject
        assertEquals("true", obtain.getValue("writeOnly").jsonPrimitive.content)
        val elsewhere = JsonObject(schemas - "TokenObtainRequest").toString()
        assertFalse("password" in elsewhere)
    }

    private fun keys(schemas: JsonObject, name: String): List<String> =
        (schemas.getValue(name).jsonObject.getValue("required") as JsonArray).map(JsonElement::jsonPrimitive).map { it.content }
}
