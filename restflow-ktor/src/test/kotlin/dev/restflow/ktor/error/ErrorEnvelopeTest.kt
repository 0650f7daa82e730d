package dev.restflow.ktor.error

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import dev.restflow.ktor.Restflow
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
import io.ktor.http.content.OutgoingContent
import io.ktor.http.contentType
import io.ktor.serialization.kotlinx.json.json
import io.ktor.server.application.install
import io.ktor.server.plugins.NotFoundException
import io.ktor.server.plugins.contentnegotiation.ContentNegotiation
import io.ktor.server.request.receive
import io.ktor.server.request.receiveText
import io.ktor.server.response.respond
import io.ktor.server.response.respondText
import io.ktor.server.routing.delete
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import io.ktor.server.util.getOrFail
import io.ktor.utils.io.ByteWriteChannel
import io.ktor.utils.io.writeFully
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.slf4j.LoggerFactory
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

@Serializable
data class ProductIn(val name: String, val price: String, val stock: Int)

class DomainConflict(message: String) : RuntimeException(message)

class SpecificDomainConflict(message: String) : RuntimeException(message)

class ErrorEnvelopeTest {

    private fun errorApp(block: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        application {
            install(ContentNegotiation) {
                json()
                checkAcceptHeaderCompliance = true
            }
            install(Restflow) {
                settings { request { maxBodySize = 1024 } }
                errors {
                    exception<DomainConflict> { ApiException.conflict(it.message ?: "Conflict.") }
                    exception<RuntimeException> { cause ->
                        if (cause is SpecificDomainConflict) ApiException.conflict("specific") else null
                    }
                }
            }
            routing {
                get("/throw/{kind}") {
                    throw when (call.parameters["kind"]) {
                        "not-authenticated" -> ApiException.notAuthenticated()
                        "authentication-failed" -> ApiException.authenticationFailed("Token has expired.")
                        "permission-denied" -> ApiException.permissionDenied()
                        "validation" -> ApiException.validation(
                            mapOf(
                                "name" to listOf("This field is required."),
                                "address" to mapOf("zip" to listOf("Enter a valid zip code.")),
                                "non_field_errors" to listOf("Start must be before end."),
                            ),
                        )
                        "throttled" -> ApiException.throttled(7)
                        "conflict" -> ApiException.conflict("This product was already reviewed.")
                        "unavailable" -> ApiException.serviceUnavailable(retryAfterSeconds = 30)
                        "missing" -> NotFoundException()
                        "domain" -> DomainConflict("Out of stock.")
                        "specific" -> SpecificDomainConflict("x")
                        else -> IllegalStateException("select * from users where password = 'hunter2'")
                    }
                }
                get("/status/{code}") {
                    val status = HttpStatusCode.fromValue(call.parameters.getOrFail<Int>("code"))
                    if (status == HttpStatusCode.Unauthorized) call.response.headers.append(HttpHeaders.WWWAuthenticate, "Bearer realm=\"shop\"")
                    if (status == HttpStatusCode.TooManyRequests) call.response.headers.append(HttpHeaders.RetryAfter, "12")
                    call.respond(status)
                }
                get("/items/{id}") { call.respondText(call.parameters.getOrFail<Int>("id").toString()) }
                post("/items") { call.respond(call.receive<ProductIn>()) }
                delete("/items/{id}") { call.respond(HttpStatusCode.NoContent) }
                post("/raw") { call.respondText(call.receiveText().length.toString()) }
                get("/object") { call.respond(ProductIn("a", "1.00", 1)) }
                get("/teapot") { call.respondText("short and stout", status = HttpStatusCode(418, "I'm a teapot")) }
            }
        }
        block()
    }

    private suspend fun HttpResponse.envelope(): JsonObject {
        val text = bodyAsText()
        assertEquals(ContentType.Application.Json, contentType()?.withoutParameters(), "content type of $text")
        val root = Json.parseToJsonElement(text).jsonObject
        assertEquals(setOf("error"), root.keys, text)
        val error = root.getValue("error").jsonObject
        assertEquals(setOf("code", "message", "details"), error.keys, text)
        return error
    }

    private suspend fun HttpResponse.assertEnvelope(status: HttpStatusCode, code: String, message: String? = null): JsonObject {
        assertEquals(status, this.status)
        val error = envelope()
        assertEquals(code, error.getValue("code").jsonPrimitive.content)
        if (message != null) assertEquals(message, error.getValue("message").jsonPrimitive.content)
        return error.getValue("details").jsonObject
    }

    @Test
    fun `not authenticated is 401 with a Bearer challenge`() = errorApp {
        val r = client.get("/throw/not-authenticated")
        assertEquals(JsonObject(emptyMap()), r.assertEnvelope(HttpStatusCode.Unauthorized, "not_authenticated", "Authentication credentials were not provided."))
        assertEquals("Bearer", r.headers[HttpHeaders.WWWAuthenticate])
    }

    @Test
    fun `authentication failed is 401 with a Bearer challenge`() = errorApp {
        val r = client.get("/throw/authentication-failed")
        r.assertEnvelope(HttpStatusCode.Unauthorized, "authentication_failed", "Token has expired.")
        assertEquals("Bearer", r.headers[HttpHeaders.WWWAuthenticate])
    }

    @Test
    fun `a bodyless 401 from another layer keeps its WWW-Authenticate header`() = errorApp {
        val r = client.get("/status/401")
        r.assertEnvelope(HttpStatusCode.Unauthorized, "not_authenticated")
        assertEquals(listOf("Bearer realm=\"shop\""), r.headers.getAll(HttpHeaders.WWWAuthenticate))
    }

    @Test
    fun `permission denied is 403`() = errorApp {
        client.get("/throw/permission-denied")
            .assertEnvelope(HttpStatusCode.Forbidden, "permission_denied", "You do not have permission to perform this action.")
    }

    @Test
    fun `validation errors keep nested objects nested and list-level errors under non_field_errors`() = errorApp {
        val details = client.get("/throw/validation")
            .assertEnvelope(HttpStatusCode.BadRequest, "validation_error", "Request validation failed.")
        assertEquals(
            Json.parseToJsonElement(
                """{"name":["This field is required."],"address":{"zip":["Enter a valid zip code."]},"non_field_errors":["Start must be before end."]}""",
            ),
            details,
        )
    }

    @Test
    fun `a body missing required fields is a validation error keyed by field`() = errorApp {
        val details = client.post("/items") {
            contentType(ContentType.Application.Json)
            setBody("""{"name":"Lamp"}""")
        }.assertEnvelope(HttpStatusCode.BadRequest, "validation_error", "Request validation failed.")
        assertEquals(Json.parseToJsonElement("""{"price":["This field is required."],"stock":["This field is required."]}"""), details)
    }

    @Test
    fun `malformed JSON is a parse error without class names or echoed input`() = errorApp {
        val r = client.post("/items") {
            contentType(ContentType.Application.Json)
            setBody("""{"name": "Lamp", "price": """)
        }
        r.assertEnvelope(HttpStatusCode.BadRequest, "parse_error")
        val message = r.envelope()
        val text = message.getValue("message").jsonPrimitive.content
        assertTrue(text.startsWith("JSON parse error"), text)
        assertFalse(text.contains("kotlinx.") || text.contains("io.ktor") || text.contains("Exception"), text)
    }

    @Test
    fun `a wrongly typed path parameter is a validation error keyed by its name`() = errorApp {
        val details = client.get("/items/abc").assertEnvelope(HttpStatusCode.BadRequest, "validation_error")
        assertEquals(Json.parseToJsonElement("""{"id":["A valid integer is required."]}"""), details)
    }

    @Test
    fun `an unknown route is 404`() = errorApp {
        client.get("/nowhere").assertEnvelope(HttpStatusCode.NotFound, "not_found", "Not found.")
    }

    @Test
    fun `a thrown NotFoundException is 404`() = errorApp {
        client.get("/throw/missing").assertEnvelope(HttpStatusCode.NotFound, "not_found", "Not found.")
    }

    @Test
    fun `a method the route does not serve is 405 with Allow`() = errorApp {
        val r = client.patch("/items/3")
        r.assertEnvelope(HttpStatusCode.MethodNotAllowed, "method_not_allowed", "Method \"PATCH\" not allowed.")
        assertEquals("GET, DELETE", r.headers[HttpHeaders.Allow])
        val collection = client.delete("/items")
        collection.assertEnvelope(HttpStatusCode.MethodNotAllowed, "method_not_allowed")
        assertEquals("POST", collection.headers[HttpHeaders.Allow])
    }

    @Test
    fun `an unsupported content type is 415`() = errorApp {
        client.post("/items") {
            contentType(ContentType.Text.CSV)
            setBody("name,price\nLamp,1.00")
        }.assertEnvelope(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", "Unsupported media type \"text/csv\" in request.")
    }

    @Test
    fun `an unsatisfiable Accept header is 406`() = errorApp {
        client.get("/object") { header(HttpHeaders.Accept, "text/csv") }
            .assertEnvelope(HttpStatusCode.NotAcceptable, "not_acceptable", "Could not satisfy the request Accept header.")
    }

    @Test
    fun `a body over the limit is 413 before parsing`() = errorApp {
        client.post("/raw") { setBody("x".repeat(1025)) }
            .assertEnvelope(HttpStatusCode.PayloadTooLarge, "payload_too_large", "Request body is too large.")
        val ok = client.post("/raw") { setBody("x".repeat(1024)) }
        assertEquals("1024", ok.bodyAsText())
    }

    @Test
    fun `a chunked body over the limit is 413`() = errorApp {
        client.post("/raw") {
            setBody(
                object : OutgoingContent.WriteChannelContent() {
                    override suspend fun writeTo(channel: ByteWriteChannel) {
                        repeat(10) { channel.writeFully(ByteArray(512) { 'y'.code.toByte() }) }
                    }
                },
            )
        }.assertEnvelope(HttpStatusCode.PayloadTooLarge, "payload_too_large")
    }

    @Test
    fun `throttled is 429 with retry_after_seconds and Retry-After`() = errorApp {
        val r = client.get("/throw/throttled")
        val details = r.assertEnvelope(HttpStatusCode.TooManyRequests, "throttled", "Request was throttled. Expected available in 7 seconds.")
        assertEquals(7, details.getValue("retry_after_seconds").jsonPrimitive.content.toInt())
        assertEquals("7", r.headers[HttpHeaders.RetryAfter])
    }

    @Test
    fun `a bodyless 429 from a rate limiter takes its wait from Retry-After`() = errorApp {
        val r = client.get("/status/429")
        val details = r.assertEnvelope(HttpStatusCode.TooManyRequests, "throttled")
        assertEquals("12", details.getValue("retry_after_seconds").jsonPrimitive.content)
        assertEquals(listOf("12"), r.headers.getAll(HttpHeaders.RetryAfter))
    }

    @Test
    fun `conflict is 409`() = errorApp {
        client.get("/throw/conflict").assertEnvelope(HttpStatusCode.Conflict, "conflict", "This product was already reviewed.")
    }

    @Test
    fun `service unavailable is 503 with Retry-After`() = errorApp {
        val r = client.get("/throw/unavailable")
        r.assertEnvelope(HttpStatusCode.ServiceUnavailable, "service_unavailable")
        assertEquals("30", r.headers[HttpHeaders.RetryAfter])
    }

    @Test
    fun `an unhandled exception is 500 with the request id and nothing internal`() {
        val logger = LoggerFactory.getLogger("dev.restflow.ktor.Restflow") as Logger
        val appender = ListAppender<ILoggingEvent>().apply { start() }
        logger.addAppender(appender)
        try {
            errorApp {
                val r = client.get("/throw/boom") { header("X-Request-Id", "req-42") }
                val details = r.assertEnvelope(HttpStatusCode.InternalServerError, "internal_error", "Internal server error.")
                assertEquals("req-42", details.getValue("correlation_id").jsonPrimitive.content)
                assertEquals("req-42", r.headers["X-Request-Id"])
                val body = r.bodyAsText()
                listOf("IllegalState", "select", "hunter2", "Exception", "at dev.", ".kt").forEach {
                    assertFalse(body.contains(it), "body leaks '$it': $body")
                }
                val generated = client.get("/throw/boom")
                val id = generated.headers["X-Request-Id"]
                assertNotNull(id)
                assertEquals(id, generated.envelope().getValue("details").jsonObject.getValue("correlation_id").jsonPrimitive.content)
            }
            val logged = appender.list.first { it.level == Level.ERROR }
            assertTrue(logged.formattedMessage.contains("req-42"), logged.formattedMessage)
            assertEquals("java.lang.IllegalStateException", logged.throwableProxy.className)
        } finally {
            logger.detachAppender(appender)
        }
    }

    @Test
    fun `a bodyless 500 is enveloped too`() = errorApp {
        client.get("/status/500").assertEnvelope(HttpStatusCode.InternalServerError, "internal_error")
    }

    @Test
    fun `an unsafe request id is replaced by a generated one`() = errorApp {
        val r = client.get("/nowhere") { header("X-Request-Id", "bad id\twith spaces") }
        val id = r.headers["X-Request-Id"]
        assertNotNull(id)
        assertTrue(id.matches(Regex("[0-9a-f-]{36}")), id)
    }

    @Test
    fun `registered mappings turn domain exceptions into envelopes, most specific first`() = errorApp {
        client.get("/throw/domain").assertEnvelope(HttpStatusCode.Conflict, "conflict", "Out of stock.")
        client.get("/throw/specific").assertEnvelope(HttpStatusCode.Conflict, "conflict", "specific")
    }

    @Test
    fun `responses with a body of their own are left alone`() = errorApp {
        val r = client.get("/teapot")
        assertEquals(418, r.status.value)
        assertEquals("short and stout", r.bodyAsText())
    }
}
