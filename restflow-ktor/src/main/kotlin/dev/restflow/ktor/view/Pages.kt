package dev.restflow.ktor.view

import dev.restflow.exposed.pagination.Page
import dev.restflow.exposed.pagination.PageRequest
import dev.restflow.exposed.pagination.PageShape
import dev.restflow.exposed.pagination.Paginator
import dev.restflow.exposed.pagination.Paginators
import dev.restflow.exposed.postfetch.PostFetch
import dev.restflow.ktor.restflow
import dev.restflow.ktor.serializer.JsonColumnCodec
import dev.restflow.ktor.serializer.ResponseSerializer
import io.ktor.server.application.ApplicationCall
import io.ktor.server.plugins.origin
import io.ktor.server.request.path
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.jdbc.Query

/** Pagination and PostFetch rendering shared by viewsets and the call helpers. */
internal object Pages {
    /** The settings' default paginator of this application (page numbers). */
    fun defaultPaginator(call: ApplicationCall): Paginator {
        val settings = call.application.restflow.settings.pagination
        return Paginators.pageNumber(settings.pageSize, settings.maxPageSize)
    }

    /** The page request of [call]: its query parameters and absolute URL without the query. */
    fun requestOf(call: ApplicationCall): PageRequest {
        val params = LinkedHashMap<String, List<String>>()
        call.request.queryParameters.entries().forEach { (name, values) -> params[name] = values }
        return PageRequest(params, absoluteUrl(call))
    }

    /** The absolute URL of [call] without its query, as the client addressed it (default ports omitted). */
    fun absoluteUrl(call: ApplicationCall): String {
        val origin = call.request.origin
        val defaultPort = (origin.scheme == "http" && origin.serverPort == 80) || (origin.scheme == "https" && origin.serverPort == 443)
        val host = if (defaultPort) origin.serverHost else "${origin.serverHost}:${origin.serverPort}"
        return "${origin.scheme}://$host${call.request.path()}"
    }

    /** The attached values of each row (aligned by index), in one query per PostFetch. Inside a transaction. */
    fun attach(rows: List<ResultRow>, postFetches: List<PostFetch>): List<Map<String, JsonElement>> {
        if (postFetches.isEmpty() || rows.isEmpty()) return List(rows.size) { emptyMap() }
        val fetched = postFetches.map { it to it.fetch(rows) }
        return rows.indices.map { i ->
            fetched.associate { (pf, perRow) ->
                val related = perRow[i].map { row -> render(row, pf) }
                pf.attachAs to if (pf.limit == 1) related.firstOrNull() ?: JsonNull else JsonArray(related)
            }
        }
    }

    private fun render(row: ResultRow, postFetch: PostFetch): JsonElement =
        JsonObject(postFetch.values.associate { column -> fieldName(column) to JsonColumnCodec.encode(row[column], column.columnType) })

    private fun fieldName(column: org.jetbrains.exposed.v1.core.Column<*>): String =
        dev.restflow.ktor.serializer.SerializerField.defaultName(column)

    /** The page as JSON in its paginator's shape and key order. */
    fun render(page: Page<JsonElement>): JsonElement {
        val next: JsonElement = page.next?.let(::JsonPrimitive) ?: JsonNull
        val previous: JsonElement = page.previous?.let(::JsonPrimitive) ?: JsonNull
        val results = JsonArray(page.results)
        return when (page.shape) {
            PageShape.COUNTED -> JsonObject(linkedMapOf("count" to JsonPrimitive(page.count ?: 0), "next" to next, "previous" to previous, "results" to results))
            PageShape.FAST -> JsonObject(linkedMapOf("results" to results, "next" to next, "previous" to previous))
            PageShape.CURSOR -> JsonObject(linkedMapOf("next" to next, "previous" to previous, "results" to results))
        }
    }

    /** Paginates (or not) [query], attaches PostFetch values and serializes. Inside a transaction. */
    fun list(call: ApplicationCall, query: Query, paginator: Paginator?, serializer: ResponseSerializer, postFetches: List<PostFetch>): JsonElement {
        if (paginator == null) {
            val rows = query.toList()
            val attached = attach(rows, postFetches)
            return JsonArray(rows.mapIndexed { i, row -> serializer.serialize(row, attached[i]) })
        }
        val page = paginator.paginate(query, requestOf(call))
        val attached = attach(page.results, postFetches)
        var index = 0
        return render(page.map { row -> serializer.serialize(row, attached[index++]) })
    }
}
