package dev.restflow.docs

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.restflow
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import kotlin.test.Test
import kotlin.test.assertEquals

class OutOfStock(val productId: Int) : RuntimeException("Product $productId is out of stock")

// region quick-start
fun Application.shop() {
    install(Restflow) {
        // `restflow { … }` in application.conf is read first; code overrides it.
        settings { pagination { maxPageSize = 50 } }
        // Your own exceptions become envelopes too.
        errors { exception<OutOfStock> { ApiException.conflict("Product ${it.productId} is out of stock.") } }
    }
    routing {
        get("/page-size") {
            call.respondText(call.application.restflow.settings.pagination.pageSize.toString())
        }
        get("/products/{id}/reserve") {
            throw OutOfStock(call.parameters["id"]!!.toInt())
        }
    }
}
// endregion

class GettingStartedSnippets {
    @Test
    fun `the quick start serves settings and envelopes`() = testApplication {
        environment { config = MapApplicationConfig("restflow.pagination.page-size" to "25") }
        application { shop() }
        assertEquals("25", client.get("/page-size").bodyAsText())
        val conflict = client.get("/products/7/reserve")
        assertEquals(HttpStatusCode.Conflict, conflict.status)
        assertEquals(
            """{"error":{"code":"conflict","message":"Product 7 is out of stock.","details":{}}}""",
            conflict.bodyAsText(),
        )
    }

    @Test
    fun `unknown routes answer the envelope`() = testApplication {
        application { shop() }
        // region not-found
        val response = client.get("/no-such-route")
        assertEquals(HttpStatusCode.NotFound, response.status)
        assertEquals("""{"error":{"code":"not_found","message":"Not found.","details":{}}}""", response.bodyAsText())
        // endregion
    }
}
