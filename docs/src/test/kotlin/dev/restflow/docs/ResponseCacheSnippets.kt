package dev.restflow.docs

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.cache.ResponseCache
import dev.restflow.ktor.restflow
import io.ktor.client.request.get
import io.ktor.server.application.install
import io.ktor.server.response.respondText
import io.ktor.server.routing.delete
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import java.time.Duration
import kotlin.test.Test
import kotlin.test.assertEquals

class ResponseCacheSnippets {
    @Test
    fun `product pages are cached and evicted by partition`() = testApplication {
        application {
            install(Restflow)
            routing {
                // region response-cache
                route("/products/{id}") {
                    install(ResponseCache) {
                        ttl = Duration.ofMinutes(5)
                        namespace = "products"
                        partition { it.parameters["id"] }
                    }
                    get { call.respondText("""{"id":${call.parameters["id"]}}""") }
                }
                delete("/products/{id}/cache") {
                    call.application.restflow.cache.deletePartition("products", call.parameters["id"]!!)
                    call.respondText("evicted")
                }
                // endregion
            }
        }
        assertEquals("MISS", client.get("/products/1").headers["X-Cache-Status"])
        assertEquals("HIT", client.get("/products/1").headers["X-Cache-Status"])
    }
}
