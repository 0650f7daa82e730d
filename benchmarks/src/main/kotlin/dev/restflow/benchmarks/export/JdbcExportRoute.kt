package dev.restflow.benchmarks.export

import dev.restflow.ktor.stream.NdjsonContentType
import io.ktor.server.response.respondOutputStream
import io.ktor.server.routing.Route
import io.ktor.server.routing.get
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.io.BufferedOutputStream
import java.io.OutputStream
import java.sql.ResultSet
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import javax.sql.DataSource

/**
 * The hand-written baseline of the export benchmark: `GET /bench/jdbc/export.ndjson` writes the same NDJSON as the
 * sample's `/api/products/export.ndjson` (same SQL, same fields in the same order, decimals as strings with their
 * scale, timestamps as ISO-8601 UTC instants, JSON strings escaped as kotlinx-serialization escapes them) with plain
 * JDBC: a pooled connection with autocommit off, one `PreparedStatement` with a fetch size, a `ResultSet` loop writing
 * each line into a buffered stream of Ktor's `respondOutputStream`.
 *
 * `?fetch_size=0` turns the cursor off (the driver then reads the whole result into memory): the control that
 * shows a million rows do not fit in the benchmark's heap.
 */
internal fun Route.jdbcExportRoute(dataSource: DataSource) {
    get("/bench/jdbc/export.ndjson") {
        val fetchSize = call.request.queryParameters["fetch_size"]?.toInt() ?: FETCH_SIZE
        call.respondOutputStream(NdjsonContentType) {
            withContext(Dispatchers.IO) { writeProducts(dataSource, fetchSize, this@respondOutputStream) }
        }
    }
}

/** The query the sample's export sends for an unfiltered request (checked against `pg_stat_activity` by the driver). */
internal const val EXPORT_SQL: String =
    "SELECT products.id, products.\"name\", products.description, products.price, products.stock, " +
        "products.in_stock, products.category_id, products.tags, products.owner_id, products.created_at " +
        "FROM products ORDER BY products.id ASC"

/** The sample's export fetch size (`ProductApi.EXPORT_FETCH_SIZE`). */
internal const val FETCH_SIZE: Int = 1_000

private fun writeProducts(dataSource: DataSource, fetchSize: Int, out: OutputStream) {
    val buffered = BufferedOutputStream(out, 8192)
    val line = StringBuilder(512)
    dataSource.connection.use { connection ->
        connection.autoCommit = false
        try {
            connection.prepareStatement(EXPORT_SQL).use { statement ->
                statement.fetchSize = fetchSize
                statement.executeQuery().use { rows ->
                    while (rows.next()) {
                        line.setLength(0)
                        appendProduct(line, rows)
                        buffered.write(line.toString().toByteArray(Charsets.UTF_8))
                    }
                }
            }
        } finally {
            connection.rollback()
        }
    }
    buffered.flush()
}

private fun appendProduct(line: StringBuilder, rows: ResultSet) {
    line.append("{\"id\":").append(rows.getInt(1))
    line.append(",\"name\":"); appendString(line, rows.getString(2))
    line.append(",\"description\":"); appendString(line, rows.getString(3))
    line.append(",\"price\":\"").append(rows.getBigDecimal(4).setScale(2).toPlainString()).append('"')
    line.append(",\"stock\":").append(rows.getInt(5))
    line.append(",\"in_stock\":").append(rows.getBoolean(6))
    line.append(",\"category\":").append(rows.getInt(7))
    line.append(",\"tags\":[")
    val tags = rows.getArray(8).array as Array<*>
    tags.forEachIndexed { i, tag ->
        if (i > 0) line.append(',')
        appendString(line, tag as String)
    }
    line.append("],\"owner\":").append(rows.getInt(9))
    val createdAt = rows.getObject(10, java.time.LocalDateTime::class.java).toInstant(ZoneOffset.UTC)
    line.append(",\"created_at\":\"").append(DateTimeFormatter.ISO_INSTANT.format(createdAt)).append("\"}\n")
}

/** A JSON string as kotlinx-serialization writes it: `"` `\` and control characters escaped, the rest as is. */
private fun appendString(line: StringBuilder, value: String) {
    line.append('"')
    for (c in value) {
        when {
            c == '"' -> line.append("\\\"")
            c == '\\' -> line.append("\\\\")
            c == '\n' -> line.append("\\n")
            c == '\r' -> line.append("\\r")
            c == '\t' -> line.append("\\t")
            c == '\b' -> line.append("\\b")
            c == '\u000C' -> line.append("\\f")
            c < ' ' -> line.append("\\u00").append(HEX[c.code shr 4]).append(HEX[c.code and 0xF])
            else -> line.append(c)
        }
    }
    line.append('"')
}

private const val HEX = "0123456789abcdef"
