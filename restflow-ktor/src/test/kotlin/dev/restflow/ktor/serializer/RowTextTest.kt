package dev.restflow.ktor.serializer

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.java.javaUUID
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.insertAndGetId
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.math.BigDecimal
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals

private object Shelves : IntIdTable("row_text_shelves") {
    val label = varchar("label", 20)
}

private object Items : Table("row_text_items") {
    val id = integer("id").autoIncrement()
    val name = varchar("name", 200)
    val note = text("note").nullable()
    val price = decimal("price", 10, 2)
    val big = long("big")
    val small = short("small")
    val flag = bool("flag")
    val ratio = double("ratio")
    val code = javaUUID("code")
    val mood = enumerationByName("mood", 10, Mood::class)
    val tags = array("tags", org.jetbrains.exposed.v1.core.VarCharColumnType(10), maximumCardinality = 3)
    val at = registerColumn("at", JavaInstantColumnType())
    val shelf = reference("shelf", Shelves).nullable()
    override val primaryKey = PrimaryKey(id)
}

/** `writeTo` — the direct text lists and streams use — is character for character `serialize(...).toString()`. */
class RowTextTest {
    private val db = Database.connect("jdbc:h2:mem:rowtext-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also {
        transaction(it) { SchemaUtils.create(Shelves, Items) }
    }

    private val serializer = serializer(Items) {
        rename(Items.flag, "is_flag")
        computed("label") { row -> row[Items.name].length }
    }

    @Test
    fun `every column type, null, escapes, computed and attached values render the same text either way`(): Unit = transaction(db) {
        val shelf = Shelves.insertAndGetId { it[label] = "top" }
        val names = listOf("plain", "quote \" and \\ backslash", "lines\nand\ttabs\r\u0000\u001f\u007f", "ünïcødé ✓ 😀", "")
        names.forEachIndexed { i, name ->
            Items.insert {
                it[Items.name] = name
                it[note] = if (i % 2 == 0) null else "note $i\b\u000C"
                it[price] = BigDecimal("12.5").add(BigDecimal(i))
                it[big] = Long.MAX_VALUE - i
                it[small] = (-i).toShort()
                it[flag] = i % 2 == 0
                it[ratio] = i / 3.0
                it[code] = UUID(i.toLong(), 42L)
                it[mood] = Mood.entries[i % Mood.entries.size]
                it[tags] = List(i % 3) { n -> "t$n\"" }
                it[at] = java.time.Instant.ofEpochSecond(1_700_000_000L + i, 123_456_000L * i)
                it[Items.shelf] = if (i % 2 == 0) shelf else null
            }
        }
        val attached = mapOf("latest" to Json.parseToJsonElement("""{"id":1,"comment":"a \"b\""}"""), "none" to kotlinx.serialization.json.JsonNull)
        val rows = Items.selectAll().toList()
        assertEquals(names.size, rows.size)
        for (row in rows) {
            for (extra in listOf(emptyMap(), attached)) {
                val direct = StringBuilder().also { serializer.writeTo(row, it, extra) }.toString()
                assertEquals(serializer.serialize(row, extra).toString(), direct)
                Json.parseToJsonElement(direct)
            }
        }
    }

    @Test
    fun `string quoting matches kotlinx for every UTF-16 unit`() {
        val all = String(CharArray(0x10000) { it.toChar() })
        for (chunk in all.chunked(512)) {
            assertEquals(JsonPrimitive(chunk).toString(), StringBuilder().also { JsonText.quote(chunk, it) }.toString())
        }
        for (c in 0 until 0x80) {
            val s = "a${c.toChar()}b"
            assertEquals(JsonPrimitive(s).toString(), StringBuilder().also { JsonText.quote(s, it) }.toString(), "char $c")
        }
    }
}
