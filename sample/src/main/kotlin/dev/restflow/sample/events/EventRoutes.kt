package dev.restflow.sample.events

import dev.restflow.ktor.stream.respondSse
import io.ktor.server.application.Application
import io.ktor.server.routing.application
import io.ktor.server.routing.Route
import io.ktor.util.AttributeKey
import io.ktor.server.routing.get
import kotlinx.coroutines.flow.map
import java.time.Duration

/** `GET /api/events`: Server-Sent Events of committed product changes (anyone may listen). */
fun Route.eventRoutes(hub: ProductEventHub, heartbeat: Duration = Duration.ofSeconds(15)) {
    application.attributes.put(ProductEventsKey, hub)
    get("/api/events") {
        call.respondSse(heartbeat) { lastEventId -> hub.events(lastEventId).map { it.toSse(hub.boot) } }
    }
}

private val ProductEventsKey = AttributeKey<ProductEventHub>("sample.productEvents")

/** The hub behind `/api/events` (tests wait on its [ProductEventHub.connectionCount]). */
val Application.productEvents: ProductEventHub get() = attributes[ProductEventsKey]
