package dev.restflow.ktor.serializer

import kotlinx.serialization.json.JsonElement
import org.jetbrains.exposed.v1.core.ResultRow

/**
 * Renders a database row as the JSON a client receives.
 *
 * Implemented by table-derived serializers ([serializer]) and typed ones ([responseSerializer]); implement it
 * yourself for anything else. Implementations must be stateless and thread-safe: one instance serves every call.
 */
public interface ResponseSerializer {
    /** The names of the fields this serializer writes, in output order (for `OPTIONS` and documentation). */
    public val fieldNames: List<String>

    /**
     * The JSON of [row]. [attached] holds values attached after pagination (PostFetch), keyed by their name; a
     * serializer includes each of them in its output.
     */
    public fun serialize(row: ResultRow, attached: Map<String, JsonElement> = emptyMap()): JsonElement

    /**
     * Appends the JSON text of [row] to [out]: exactly `serialize(row, attached).toString()`, which is what this
     * default does. Lists and streams render rows through it; table serializers override it to write the text
     * directly, without building a `JsonElement` per row.
     */
    public fun writeTo(row: ResultRow, out: StringBuilder, attached: Map<String, JsonElement> = emptyMap()) {
        out.append(serialize(row, attached).toString())
    }
}
