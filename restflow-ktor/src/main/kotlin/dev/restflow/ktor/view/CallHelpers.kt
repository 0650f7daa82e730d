package dev.restflow.ktor.view

import dev.restflow.ktor.serializer.BodyShape
import dev.restflow.ktor.serializer.FieldErrors
import dev.restflow.ktor.serializer.RequestSerializer
import dev.restflow.ktor.serializer.ResponseSerializer
import dev.restflow.ktor.serializer.TypedBodyCheck
import dev.restflow.ktor.serializer.TypedJson
import dev.restflow.ktor.serializer.ValidatedData
import dev.restflow.ktor.serializer.WriteMode
import dev.restflow.ktor.error.ApiException
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.serializer
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.jdbc.Query
import dev.restflow.exposed.pagination.Paginator
import dev.restflow.exposed.postfetch.PostFetch

/**
 * Answers [row] rendered by [serializer] as JSON with [status] (`HEAD` gets the headers only). [attached] values
 * (e.g. PostFetch results) are added under their names.
 */
public suspend fun ApplicationCall.respondSerialized(
    row: ResultRow,
    serializer: ResponseSerializer,
    status: HttpStatusCode = HttpStatusCode.OK,
    attached: Map<String, JsonElement> = emptyMap(),
) {
    respondJsonElement(serializer.serialize(row, attached), status)
}

/** Answers [rows] rendered by [serializer] as a JSON array. */
public suspend fun ApplicationCall.respondSerialized(
    rows: List<ResultRow>,
    serializer: ResponseSerializer,
    status: HttpStatusCode = HttpStatusCode.OK,
) {
    respondJsonElement(JsonArray(rows.map { serializer.serialize(it) }), status)
}

/** Answers a JSON [body] with [status] (`HEAD` gets the headers only). */
public suspend fun ApplicationCall.respondSerialized(body: JsonElement, status: HttpStatusCode = HttpStatusCode.OK) {
    respondJsonElement(body, status)
}

/**
 * Answers a page of [query] cut by [paginator] (the settings' page numbers when `null`), rendered by [serializer],
 * in the paginator's shape with absolute `next`/`previous` links; runs in a transaction of [database] (or the current
 * one). An invalid page is 404 "Invalid page.", a bad cursor 400.
 */
public suspend fun ApplicationCall.respondPaginated(
    query: Query,
    serializer: ResponseSerializer,
    paginator: Paginator? = null,
    database: DatabaseAccess = DatabaseAccess.DEFAULT,
    postFetches: List<PostFetch> = emptyList(),
) {
    val chosen = paginator ?: Pages.defaultPaginator(this)
    val body = database.transaction { Pages.list(this@respondPaginated, query, chosen, serializer, postFetches) }
    respondJsonText(body)
}

/**
 * Reads the body as JSON and validates it with [serializer] for [mode], in a transaction of [database] (or the
 * current one): 415 for a non-JSON body, 400 `parse_error` for malformed JSON, 400 `validation_error` with
 * field-keyed details for invalid fields.
 */
public suspend fun ApplicationCall.receiveValidated(
    serializer: RequestSerializer,
    mode: WriteMode = WriteMode.CREATE,
    instance: ResultRow? = null,
    database: DatabaseAccess = DatabaseAccess.DEFAULT,
): ValidatedData {
    val body = receiveJsonElement()
    return database.transaction { serializer.deserialize(body, mode, instance) }
}

/**
 * Reads the body as a `@Serializable` [T], with every problem reported per field in DRF's words (required, types,
 * unknown fields — R-14) as 400 `validation_error`; no database access.
 */
public suspend inline fun <reified T> ApplicationCall.receiveValidated(): T = receiveValidated(serializer<T>())

/** Java-friendly and non-reified form of [receiveValidated]. */
public suspend fun <T> ApplicationCall.receiveValidated(serializer: KSerializer<T>, strict: Boolean = true): T {
    val body = BodyShape.requireObject(receiveJsonElement())
    val errors = FieldErrors()
    TypedBodyCheck.check(body, serializer.descriptor, partial = false, strict = strict, errors = errors)
    errors.throwIfAny()
    return try {
        TypedJson.decodeFromJsonElement(serializer, body)
    } catch (e: SerializationException) {
        throw ApiException.validation(mapOf(FieldErrors.NON_FIELD_ERRORS to listOf("Invalid data.")))
    } catch (e: IllegalArgumentException) {
        throw ApiException.validation(mapOf(FieldErrors.NON_FIELD_ERRORS to listOf(e.message?.take(200) ?: "Invalid data.")))
    }
}
