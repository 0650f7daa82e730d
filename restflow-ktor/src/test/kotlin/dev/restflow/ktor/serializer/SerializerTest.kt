package dev.restflow.ktor.serializer

import dev.restflow.ktor.error.ApiException
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.VarCharColumnType
import org.jetbrains.exposed.v1.core.datetime.InstantColumnType
import org.jetbrains.exposed.v1.core.java.javaUUID
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.math.BigDecimal
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.time.toJavaInstant
import kotlin.time.toKotlinInstant

enum class Mood { HAPPY, SAD }

/** A `TIMESTAMP` column read and written as `java.time.Instant` (exposed-core ships only the abstract type). */
class JavaInstantColumnType : InstantColumnType<java.time.Instant>() {
    override fun toInstant(value: java.time.Instant): kotlin.time.Instant = value.toKotlinInstant()
    override fun fromInstant(instant: kotlin.time.Instant): java.time.Instant = instant.toJavaInstant()
}

object Samples : Table("samples") {
    val id = integer("id").autoIncrement()
    val code = javaUUID("code")
    val mood = enumerationByName("mood", 10, Mood::class)
    val tags = array("tags", VarCharColumnType(10), maximumCardinality = 3)
    val at = registerColumn("at", JavaInstantColumnType())
    val ratio = double("ratio").default(1.0)
    val secret = varchar("secret", 20).default("")
    override val primaryKey = PrimaryKey(id)
}

class SerializerTest {
    private val db = Database.connect("jdbc:h2:mem:ser-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also {
        transaction(it) { SchemaUtils.create(Samples) }
    }

    private val samples = serializer(Samples) {
        writeOnly(Samples.secret)
        allowBlank(Samples.secret)
        rename(Samples.at, "happened_at")
        computed("label") { row -> "${row[Samples.mood]}:${row[Samples.tags].size}" }
    }

    private fun body(json: String): JsonElement = Json.parseToJsonElement(json)

    private fun errors(serializer: RequestSerializer, json: String, mode: WriteMode = WriteMode.CREATE): JsonObject = runBlocking {
        val failure = assertFailsWith<ApiException> { transaction(db) { runBlocking { serializer.deserialize(body(json), mode) } } }
        failure.details
    }

    @Test
    fun `rows render UUIDs, enums, arrays and instants as clients expect, write-only fields hidden`(): Unit = transaction(db) {
        val code = UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
        Samples.insert {
            it[Samples.code] = code; it[mood] = Mood.HAPPY; it[tags] = listOf("a", "b")
            it[at] = java.time.Instant.parse("2026-01-02T03:04:05Z"); it[secret] = "hidden"
        }
        val json = samples.serialize(Samples.selectAll().single()).jsonObject
        assertEquals(
            """{"id":1,"code":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","mood":"HAPPY","tags":["a","b"],""" +
                """"happened_at":"2026-01-02T03:04:05Z","ratio":1.0,"label":"HAPPY:2"}""",
            json.toString(),
        )
        assertEquals(listOf("id", "code", "mood", "tags", "happened_at", "ratio", "label"), samples.fieldNames)
    }

    @Test
    fun `bodies decode into typed column values`(): Unit = runBlocking {
        val data = transaction(db) {
            runBlocking {
                samples.deserialize(
                    body("""{"code":"1B4E28BA-2FA1-11D2-883F-0016D3CCA427","mood":"SAD","tags":[" x ","y"],"happened_at":"2026-01-02T04:04:05+01:00","ratio":"2.5","secret":""}"""),
                    WriteMode.CREATE,
                )
            }
        }
        assertEquals(UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427"), data[Samples.code])
        assertEquals(Mood.SAD, data[Samples.mood])
        assertEquals(listOf("x", "y"), data[Samples.tags])
        assertEquals(java.time.Instant.parse("2026-01-02T03:04:05Z"), data[Samples.at])
        assertEquals(2.5, data[Samples.ratio])
        assertEquals("", data[Samples.secret])
    }

    @Test
    fun `type errors use DRF's messages and list items are keyed by index`() {
        val details = errors(samples, """{"code":"nope","mood":"ANGRY","tags":["ok",5,"waytoolongtag"],"happened_at":"yesterday","ratio":true}""")
        assertEquals("""["Must be a valid UUID."]""", details.getValue("code").toString())
        assertEquals("""["\"ANGRY\" is not a valid choice."]""", details.getValue("mood").toString())
        assertEquals("""{"2":["Ensure this field has no more than 10 characters."]}""", details.getValue("tags").toString())
        assertEquals(
            """["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]""",
            details.getValue("happened_at").toString(),
        )
        assertEquals("""["A valid number is required."]""", details.getValue("ratio").toString())
        val notList = errors(samples, """{"code":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","mood":"SAD","tags":"a","happened_at":"2026-01-01T00:00:00Z"}""")
        assertEquals("""["Expected a list of items but got type \"str\"."]""", notList.getValue("tags").toString())
        val tooMany = errors(samples, """{"code":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","mood":"SAD","tags":["a","b","c","d"],"happened_at":"2026-01-01T00:00:00Z"}""")
        assertEquals("""["Ensure this field has no more than 3 elements."]""", tooMany.getValue("tags").toString())
        val nulls = errors(samples, """{"code":null,"mood":"SAD","tags":[],"happened_at":"2026-01-01T00:00:00Z","secret":"a\u0000b"}""")
        assertEquals("""["This field may not be null."]""", nulls.getValue("code").toString())
        assertEquals("""["Null characters are not allowed."]""", nulls.getValue("secret").toString())
    }

    @Test
    fun `decimal and integer bounds follow the column`() {
        val t = object : Table("money") {
            val amount = decimal("amount", 5, 2)
            val count = integer("count")
        }
        val s = serializer(t)
        val details = errors(s, """{"amount":"1234.56","count":3000000000}""")
        assertEquals("""["Ensure that there are no more than 5 digits in total."]""", details.getValue("amount").toString())
        assertEquals("""["Ensure this value is less than or equal to 2147483647."]""", details.getValue("count").toString())
        assertEquals("""["Ensure that there are no more than 3 digits before the decimal point."]""", errors(s, """{"amount":"1234","count":1}""").getValue("amount").toString())
        assertEquals("""["A valid number is required."]""", errors(s, """{"amount":"NaN","count":1}""").getValue("amount").toString())
        assertEquals("""["A valid integer is required."]""", errors(s, """{"amount":"1","count":1.5}""").getValue("count").toString())
        val ok = runBlocking { s.deserialize(body("""{"amount":12.5,"count":"7"}"""), WriteMode.CREATE) }
        assertEquals(BigDecimal("12.50"), ok[t.amount])
        assertEquals(7, ok[t.count])
    }

    @Test
    fun `object-level checks run after the fields are valid and can reject the whole body`() {
        val s = serializer(Samples) {
            validate { data, errors -> if (data[Samples.mood] == Mood.SAD && data[Samples.tags].isNullOrEmpty()) errors.addNonField("Sad samples need a tag.") }
        }
        val details = errors(s, """{"code":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","mood":"SAD","tags":[],"at":"2026-01-01T00:00:00Z"}""")
        assertEquals("""{"non_field_errors":["Sad samples need a tag."]}""", details.toString())
    }

    @Test
    fun `a body that is not an object is rejected with DRF's message`() {
        assertEquals(
            """{"non_field_errors":["Invalid data. Expected a dictionary, but got str."]}""",
            errors(samples, "\"text\"").toString(),
        )
    }

    @Serializable
    data class Address(val city: String, val zip: Int)

    @Serializable
    data class Signup(val name: String, val age: Int, val address: Address, val tags: List<String> = emptyList(), val nickname: String? = null)

    @Test
    fun `typed request serializers report nested problems under nested paths`() {
        val typed = requestSerializer<Signup> {}
        val details = errors(typed, """{"age":"old","address":{"zip":"x"},"tags":["a",1,null],"extra":1}""")
        assertEquals("""["This field is required."]""", details.getValue("name").toString())
        assertEquals("""["A valid integer is required."]""", details.getValue("age").toString())
        assertEquals("""{"city":["This field is required."],"zip":["A valid integer is required."]}""", details.getValue("address").toString())
        assertEquals("""{"2":["This field may not be null."]}""", details.getValue("tags").toString())
        assertEquals("""["Unknown field."]""", details.getValue("extra").toString())
        assertTrue("nickname" !in details)
    }

    @Test
    fun `typed response serializers encode the mapped class and add attached values`(): Unit = transaction(db) {
        Samples.insert {
            it[code] = UUID.randomUUID(); it[mood] = Mood.SAD; it[tags] = emptyList(); it[at] = java.time.Instant.EPOCH
        }
        val out = responseSerializer { row -> Address(city = row[Samples.mood].name, zip = row[Samples.id]) }
        val json = out.serialize(Samples.selectAll().single(), mapOf("extra" to Json.parseToJsonElement("[1]")))
        assertEquals("""{"city":"SAD","zip":1,"extra":[1]}""", json.toString())
        assertEquals(listOf("city", "zip"), out.fieldNames)
    }
}
