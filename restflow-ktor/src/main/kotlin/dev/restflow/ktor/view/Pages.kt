package dev.restflow.ktor.view

import dev.restflow.exposed.pagination.PageRequest
import dev.restflow.exposed.pagination.PageShape
import dev.restflow.exposed.pagination.Paginator
import dev.restflow.exposed.pagination.Paginators
import dev.restflow.exposed.postfetch.PostFetch
import dev.restflow.ktor.restflow
import dev.restflow.ktor.serializer.JsonColumnCodec
import dev.restflow.ktor.serializer.JsonText
import dev.restflow.ktor.serializer.ResponseSerializer
import io.ktor.server.application.ApplicationCall
import io.ktor.server.plugins.origin
import io.ktor.server.request.path
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
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

    /**
     * Paginates (or not) [query], attaches PostFetch values and renders the page as JSON text in its paginator's
     * shape and key order, rows written straight into the text by [ResponseSerializer.writeTo]. Inside a transaction.
     */
    fun list(call: ApplicationCall, query: Query, paginator: Paginator?, serializer: ResponseSerializer, postFetches: List<PostFetch>): String {
        val out = StringBuilder(8192)
        if (paginator == null) {
            val rows = query.toList()
            writeRows(rows, attach(rows, postFetches), serializer, out)
            return out.toString()
        }
        val page = paginator.paginate(query, requestOf(call))
        val attached = attach(page.results, postFetches)
        when (page.shape) {
            PageShape.COUNTED -> {
                out.append("{\"count\":").append(page.count ?: 0)
                out.append(",\"next\":").link(page.next).append(",\"previous\":").link(page.previous).append(",\"results\":")
                writeRows(page.results, attached, serializer, out)
            }
            PageShape.FAST -> {
                out.append("{\"results\":")
                writeRows(page.results, attached, serializer, out)
                out.append(",\"next\":").link(page.next).append(",\"previous\":").link(page.previous)
            }
            PageShape.CURSOR -> {
                out.append("{\"next\":").link(page.next).append(",\"previous\":").link(page.previous).append(",\"results\":")
                writeRows(page.results, attached, serializer, out)
            }
        }
        return out.append('}').toString()
    }

    private fun writeRows(rows: List<ResultRow>, attached: List<Map<String, JsonElement>>, serializer: ResponseSerializer, out: StringBuilder) {
        out.append('[')
        rows.forEachIndexed { i, row ->
            if (i > 0) out.append(',')
            serializer.writeTo(row, out, attached[i])
        }
        out.append(']')
    }

    private fun StringBuilder.link(url: String?): StringBuilder = apply { if (url == null) append("null") else JsonText.quote(url, this) }
}
