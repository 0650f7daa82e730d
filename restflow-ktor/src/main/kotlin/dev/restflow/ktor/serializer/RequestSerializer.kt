package dev.restflow.ktor.serializer

import kotlinx.serialization.json.JsonElement
import org.jetbrains.exposed.v1.core.ResultRow

/**
 * Validates a request body and turns it into column values to write.
 *
 * Implemented by table-derived serializers ([serializer]) and typed ones ([requestSerializer]). Implementations must
 * be stateless and thread-safe.
 */
public interface RequestSerializer {
    /** The names of the fields a client may write (for `OPTIONS` and documentation). */
    public val writableFieldNames: List<String>

    /**
     * Validates [body] for [mode] and returns the values to write. [instance] is the row being updated (`null` on
     * create). Throws [dev.restflow.ktor.error.ApiException] 400 `validation_error` with field-keyed details when
     * the body is invalid; nothing is written then. Call it inside a database transaction: checks such as
     * "the referenced row exists" query the database.
     */
    public suspend fun deserialize(body: JsonElement, mode: WriteMode, instance: ResultRow? = null): ValidatedData
}
