package dev.restflow.sample.events

import dev.restflow.ktor.stream.SseEvent

/** One committed change of a product, as `/api/events` sends it. */
data class ProductEvent(val sequence: Long, val type: String, val productId: Long) {
    /** `id: <boot>-<sequence>`, `event: <type>`, `data: {"id":<productId>}`. */
    fun toSse(boot: String): SseEvent = SseEvent("""{"id":$productId}""", event = type, id = "$boot-$sequence")

    companion object {
        const val CREATED = "product.created"
        const val UPDATED = "product.updated"
        const val DELETED = "product.deleted"
    }
}
