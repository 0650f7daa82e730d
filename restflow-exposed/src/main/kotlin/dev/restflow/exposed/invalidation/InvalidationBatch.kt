package dev.restflow.exposed.invalidation

import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json

/**
 * The invalidation work of one commit for one dispatcher: with `batch = true` every such rule's work of the commit,
 * otherwise one rule's. Plain data, encodable with [encode] and [decode], so a durable dispatcher (a Redis stream,
 * a database outbox) can store it and a worker in another process can apply it with
 * [InvalidationRegistry.applyEncoded]: rules are found by their stable names. Applying a batch twice is harmless.
 */
@Serializable
public data class InvalidationBatch(
    /** A unique id (the commit's, with a suffix when one commit makes several batches); for logs and traces. */
    public val id: String,
    /** The name of the dispatcher it was handed to. */
    public val dispatcher: String,
    /** When the commit was seen (epoch milliseconds); dispatch lag is measured from here. */
    public val createdAtMillis: Long,
    /** The work, one item per rule. */
    public val items: List<InvalidationWork>,
) {
    /** This batch with every item flushing its whole target (what a full queue's `WIDEN` policy runs). */
    public fun widened(): InvalidationBatch = copy(items = items.map { it.widened() })

    /** The batch as a JSON string. */
    public fun encode(): String = json.encodeToString(serializer(), this)

    /** Decoding. */
    public companion object {
        private val json = Json { ignoreUnknownKeys = true }

        /** The batch [encoded] by [encode]. Fails with [IllegalArgumentException] on anything else. */
        @JvmStatic
        public fun decode(encoded: String): InvalidationBatch = try {
            json.decodeFromString(serializer(), encoded)
        } catch (e: kotlinx.serialization.SerializationException) {
            throw IllegalArgumentException("Not an encoded invalidation batch: ${e.message}", e)
        }
    }
}
