package dev.restflow.cache.twotier

import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json

/** What one instance broadcasts to the others after evicting: a key, a partition or a namespace. */
@Serializable
internal class InvalidationMessage(
    val origin: String,
    val kind: Kind,
    val namespace: String,
    val partition: String = "",
    val id: String = "",
) {
    enum class Kind { KEY, PARTITION, NAMESPACE }

    fun encode(): String = Json.encodeToString(serializer(), this)

    companion object {
        fun decode(text: String): InvalidationMessage? = runCatching { Json.decodeFromString(serializer(), text) }.getOrNull()
    }
}
