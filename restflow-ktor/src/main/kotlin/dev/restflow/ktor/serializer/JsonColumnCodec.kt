package dev.restflow.ktor.serializer

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.exposed.v1.core.ArrayColumnType
import org.jetbrains.exposed.v1.core.AutoIncColumnType
import org.jetbrains.exposed.v1.core.BasicUuidColumnType
import org.jetbrains.exposed.v1.core.BooleanColumnType
import org.jetbrains.exposed.v1.core.ByteColumnType
import org.jetbrains.exposed.v1.core.DecimalColumnType
import org.jetbrains.exposed.v1.core.DoubleColumnType
import org.jetbrains.exposed.v1.core.EntityIDColumnType
import org.jetbrains.exposed.v1.core.EnumerationColumnType
import org.jetbrains.exposed.v1.core.EnumerationNameColumnType
import org.jetbrains.exposed.v1.core.FloatColumnType
import org.jetbrains.exposed.v1.core.IColumnType
import org.jetbrains.exposed.v1.core.IDateColumnType
import org.jetbrains.exposed.v1.core.IntegerColumnType
import org.jetbrains.exposed.v1.core.LongColumnType
import org.jetbrains.exposed.v1.core.ShortColumnType
import org.jetbrains.exposed.v1.core.StringColumnType
import org.jetbrains.exposed.v1.core.VarCharColumnType
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IdTable
import org.jetbrains.exposed.v1.core.datetime.InstantColumnType
import org.jetbrains.exposed.v1.core.datetime.LocalDateColumnType
import org.jetbrains.exposed.v1.core.datetime.LocalDateTimeColumnType
import org.jetbrains.exposed.v1.core.datetime.OffsetDateTimeColumnType
import java.math.BigDecimal
import java.math.RoundingMode
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException
import java.util.Base64
import java.util.UUID
import kotlin.time.toJavaInstant
import kotlin.time.toKotlinInstant

/** The outcome of decoding one JSON value for a column: the value, a message, or nested errors (arrays). */
internal sealed interface Decoded {
    class Value(val value: Any?) : Decoded
    class Error(val message: String) : Decoded
    class Nested(val errors: FieldErrors) : Decoded
}

/**
 * Converts column values to JSON and JSON to column values, by column type, with DRF's wording for type errors:
 * decimals are strings with the column's scale, instants ISO-8601 UTC, enums by name, UUIDs as strings, arrays as
 * lists, `EntityID`s as their raw id.
 */
internal object JsonColumnCodec {
    const val REQUIRED = "This field is required."
    const val NOT_NULL = "This field may not be null."
    const val BLANK = "This field may not be blank."
    const val NUL = "Null characters are not allowed."
    const val INVALID_INTEGER = "A valid integer is required."
    const val INVALID_NUMBER = "A valid number is required."
    const val INVALID_BOOLEAN = "Must be a valid boolean."
    const val INVALID_STRING = "Not a valid string."
    const val INVALID_UUID = "Must be a valid UUID."
    const val INVALID_DATETIME =
        "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
    const val INVALID_DATE = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
    const val UNSUPPORTED = "This field cannot be written through the API."

    private val TRUE = setOf("true", "1", "yes", "y", "on", "t")
    private val FALSE = setOf("false", "0", "no", "n", "off", "f")

    fun unwrap(type: IColumnType<*>): IColumnType<*> = when (type) {
        is AutoIncColumnType<*> -> unwrap(type.delegate)
        else -> type
    }

    // ---- encoding -------------------------------------------------------------------------------------------------

    fun encode(value: Any?, type: IColumnType<*>): JsonElement {
        if (value == null) return JsonNull
        val t = unwrap(type)
        return when (value) {
            is EntityID<*> -> encode(value.value, (t as? EntityIDColumnType<*>)?.idColumn?.columnType ?: t)
            is BigDecimal -> JsonPrimitive(scaled(value, t).toPlainString())
            is Boolean -> JsonPrimitive(value)
            is Number -> JsonPrimitive(value)
            is String -> JsonPrimitive(value)
            is Enum<*> -> JsonPrimitive(value.name)
            is java.time.Instant -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value))
            is kotlin.time.Instant -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value.toJavaInstant()))
            is OffsetDateTime -> JsonPrimitive(DateTimeFormatter.ISO_INSTANT.format(value.toInstant()))
            is ByteArray -> JsonPrimitive(Base64.getEncoder().encodeToString(value))
            is List<*> -> {
                val element = (t as? ArrayColumnType<*, *>)?.delegate ?: t
                JsonArray(value.map { encode(it, element) })
            }
            is Array<*> -> encode(value.toList(), t)
            else -> JsonPrimitive(value.toString())
        }
    }

    /**
     * Appends the JSON of [value] for a column of [type] to [out]: the same text as `encode(value, type).toString()`,
     * without building the element for the common scalar types.
     */
    fun write(value: Any?, type: IColumnType<*>, out: StringBuilder) {
        when (value) {
            null -> out.append("null")
            is String -> JsonText.quote(value, out)
            is Int, is Long, is Short, is Byte -> out.append(value.toString())
            is Boolean -> out.append(value)
            is BigDecimal -> JsonText.quote(scaled(value, unwrap(type)).toPlainString(), out)
            is java.time.Instant -> JsonText.quote(DateTimeFormatter.ISO_INSTANT.format(value), out)
            is EntityID<*> -> {
                val t = unwrap(type)
                write(value.value, (t as? EntityIDColumnType<*>)?.idColumn?.columnType ?: t, out)
            }
            else -> out.append(encode(value, type).toString())
        }
    }

    private fun scaled(value: BigDecimal, type: IColumnType<*>): BigDecimal =
        if (type is DecimalColumnType) value.setScale(type.scale, RoundingMode.HALF_EVEN) else value

    // ---- decoding -------------------------------------------------------------------------------------------------

    /** Decodes [json] for a column of [type]; `null` JSON is handled by the caller (nullability). */
    fun decode(json: JsonElement, type: IColumnType<*>, trim: Boolean = true, allowBlank: Boolean = false): Decoded {
        if (json is JsonNull) return if (type.nullable) Decoded.Value(null) else Decoded.Error(NOT_NULL)
        return when (val t = unwrap(type)) {
            is EntityIDColumnType<*> -> decodeId(json, t)
            is IntegerColumnType -> integer(json, Int.MIN_VALUE.toLong(), Int.MAX_VALUE.toLong()) { it.toInt() }
            is LongColumnType -> integer(json, Long.MIN_VALUE, Long.MAX_VALUE) { it }
            is ShortColumnType -> integer(json, Short.MIN_VALUE.toLong(), Short.MAX_VALUE.toLong()) { it.toShort() }
            is ByteColumnType -> integer(json, Byte.MIN_VALUE.toLong(), Byte.MAX_VALUE.toLong()) { it.toByte() }
            is DecimalColumnType -> decimal(json, t)
            is DoubleColumnType -> number(json)?.let { Decoded.Value(it) } ?: Decoded.Error(INVALID_NUMBER)
            is FloatColumnType -> number(json)?.let { Decoded.Value(it.toFloat()) } ?: Decoded.Error(INVALID_NUMBER)
            is BooleanColumnType -> boolean(json)
            is StringColumnType -> string(json, t, trim, allowBlank)
            is BasicUuidColumnType<*> -> uuid(json, t)
            is EnumerationNameColumnType<*> -> enumByName(json, t.klass.java.enumConstants.toList())
            is EnumerationColumnType<*> -> enumByName(json, t.klass.java.enumConstants.toList())
            is ArrayColumnType<*, *> -> array(json, t)
            is InstantColumnType<*> -> dateTime(json)?.let {
                @Suppress("UNCHECKED_CAST")
                Decoded.Value((t as InstantColumnType<Any>).fromInstant(it.toInstant().toKotlinInstant()))
            } ?: Decoded.Error(INVALID_DATETIME)
            is OffsetDateTimeColumnType<*> -> dateTime(json)?.let {
                @Suppress("UNCHECKED_CAST")
                Decoded.Value((t as OffsetDateTimeColumnType<Any>).fromOffsetDateTime(it))
            } ?: Decoded.Error(INVALID_DATETIME)
            is LocalDateTimeColumnType<*> -> dateTime(json)?.let {
                @Suppress("UNCHECKED_CAST")
                val local = it.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                Decoded.Value((t as LocalDateTimeColumnType<Any>).fromLocalDateTime(kotlinLocalDateTime(local)))
            } ?: Decoded.Error(INVALID_DATETIME)
            is LocalDateColumnType<*> -> date(json)?.let {
                @Suppress("UNCHECKED_CAST")
                Decoded.Value((t as LocalDateColumnType<Any>).fromLocalDate(kotlinx.datetime.LocalDate(it.year, it.monthValue, it.dayOfMonth)))
            } ?: Decoded.Error(INVALID_DATE)
            is IDateColumnType -> customDateTime(json, t)
            else -> Decoded.Error(UNSUPPORTED)
        }
    }

    private fun kotlinLocalDateTime(local: LocalDateTime): kotlinx.datetime.LocalDateTime =
        kotlinx.datetime.LocalDateTime(local.year, local.monthValue, local.dayOfMonth, local.hour, local.minute, local.second, local.nano)

    /** A date-time column type of the application's own (e.g. a UTC `java.time.Instant` column): try the usual value types. */
    private fun customDateTime(json: JsonElement, type: IColumnType<*>): Decoded {
        val moment = dateTime(json) ?: return Decoded.Error(INVALID_DATETIME)
        val candidates = listOf<Any>(moment.toInstant(), moment, moment.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime())
        for (candidate in candidates) {
            val value = runCatching { type.valueFromDB(candidate) }.getOrNull() ?: continue
            return Decoded.Value(value)
        }
        return Decoded.Error(UNSUPPORTED)
    }

    private fun primitive(json: JsonElement): JsonPrimitive? = json as? JsonPrimitive

    private inline fun integer(json: JsonElement, min: Long, max: Long, convert: (Long) -> Any): Decoded {
        val p = primitive(json) ?: return Decoded.Error(INVALID_INTEGER)
        if (!p.isString && (p.content == "true" || p.content == "false")) return Decoded.Error(INVALID_INTEGER)
        val text = p.content.trim()
        if (text.length > 1000) return Decoded.Error("String value too large.")
        val decimal = text.toBigDecimalOrNull() ?: return Decoded.Error(INVALID_INTEGER)
        val integral = runCatching { decimal.toBigIntegerExact() }.getOrNull() ?: return Decoded.Error(INVALID_INTEGER)
        if (integral < min.toBigInteger()) return Decoded.Error("Ensure this value is greater than or equal to $min.")
        if (integral > max.toBigInteger()) return Decoded.Error("Ensure this value is less than or equal to $max.")
        return Decoded.Value(convert(integral.toLong()))
    }

    private fun number(json: JsonElement): Double? {
        val p = primitive(json) ?: return null
        if (!p.isString && (p.content == "true" || p.content == "false")) return null
        val text = p.content.trim()
        if (text.length > 1000) return null
        return text.toDoubleOrNull()?.takeIf { it.isFinite() }
    }

    private fun decimal(json: JsonElement, type: DecimalColumnType): Decoded {
        val p = primitive(json) ?: return Decoded.Error(INVALID_NUMBER)
        if (!p.isString && (p.content == "true" || p.content == "false")) return Decoded.Error(INVALID_NUMBER)
        val text = p.content.trim()
        if (text.length > 1000) return Decoded.Error("String value too large.")
        val value = text.toBigDecimalOrNull() ?: return Decoded.Error(INVALID_NUMBER)
        val stripped = if (value.signum() == 0) BigDecimal.ZERO else value.stripTrailingZeros()
        val places = stripped.scale().coerceAtLeast(0)
        val digits = if (stripped.scale() < 0) stripped.precision() - stripped.scale() else stripped.precision()
        val whole = digits - places
        if (digits > type.precision) return Decoded.Error("Ensure that there are no more than ${type.precision} digits in total.")
        if (places > type.scale) return Decoded.Error("Ensure that there are no more than ${type.scale} decimal places.")
        if (whole > type.precision - type.scale) {
            return Decoded.Error("Ensure that there are no more than ${type.precision - type.scale} digits before the decimal point.")
        }
        return Decoded.Value(value.setScale(type.scale, RoundingMode.UNNECESSARY))
    }

    private fun boolean(json: JsonElement): Decoded {
        val p = primitive(json) ?: return Decoded.Error(INVALID_BOOLEAN)
        val text = p.content.trim().lowercase()
        return when (text) {
            in TRUE -> Decoded.Value(true)
            in FALSE -> Decoded.Value(false)
            else -> Decoded.Error(INVALID_BOOLEAN)
        }
    }

    private fun string(json: JsonElement, type: StringColumnType, trim: Boolean, allowBlank: Boolean): Decoded {
        val p = primitive(json) ?: return Decoded.Error(INVALID_STRING)
        if (!p.isString && (p.content == "true" || p.content == "false")) return Decoded.Error(INVALID_STRING)
        val text = if (trim) p.content.trim() else p.content
        if ('\u0000' in text) return Decoded.Error(NUL)
        if (text.isEmpty() && !allowBlank) return Decoded.Error(BLANK)
        val max = (type as? VarCharColumnType)?.colLength
        if (max != null && text.length > max) return Decoded.Error("Ensure this field has no more than $max characters.")
        return Decoded.Value(text)
    }

    private fun uuid(json: JsonElement, type: BasicUuidColumnType<*>): Decoded {
        val p = primitive(json)?.takeIf { it.isString } ?: return Decoded.Error(INVALID_UUID)
        val text = p.content.trim()
        val parsed = parseUuid(text) ?: return Decoded.Error(INVALID_UUID)
        val value = runCatching { type.valueFromDB(parsed) }.getOrNull() ?: return Decoded.Error(INVALID_UUID)
        return Decoded.Value(value)
    }

    private fun parseUuid(text: String): UUID? {
        val hex = text.removePrefix("urn:uuid:").replace("-", "").removeSurrounding("{", "}")
        if (hex.length != 32 || hex.any { it !in '0'..'9' && it.lowercaseChar() !in 'a'..'f' }) return null
        return UUID(java.lang.Long.parseUnsignedLong(hex.substring(0, 16), 16), java.lang.Long.parseUnsignedLong(hex.substring(16), 16))
    }

    private fun enumByName(json: JsonElement, constants: List<Enum<*>>): Decoded {
        val p = primitive(json) ?: return Decoded.Error("\"${json}\" is not a valid choice.")
        val text = p.content
        return constants.firstOrNull { it.name == text }?.let { Decoded.Value(it) }
            ?: Decoded.Error("\"${text.take(100)}\" is not a valid choice.")
    }

    private fun array(json: JsonElement, type: ArrayColumnType<*, *>): Decoded {
        if (json !is JsonArray) return Decoded.Error("Expected a list of items but got type \"${typeName(json)}\".")
        val max = type.maximumCardinality?.firstOrNull()
        if (max != null && json.size > max) return Decoded.Error("Ensure this field has no more than $max elements.")
        val errors = FieldErrors()
        val values = ArrayList<Any?>(json.size)
        json.forEachIndexed { index, element ->
            when (val d = decode(element, type.delegate)) {
                is Decoded.Value -> values += d.value
                is Decoded.Error -> errors.add(index.toString(), d.message)
                is Decoded.Nested -> errors.nest(index.toString(), d.errors)
            }
        }
        return if (errors.isNotEmpty()) Decoded.Nested(errors) else Decoded.Value(values)
    }

    private fun decodeId(json: JsonElement, type: EntityIDColumnType<*>): Decoded {
        if (json is JsonObject || json is JsonArray || (json is JsonPrimitive && !json.isString && json.content in setOf("true", "false"))) {
            return Decoded.Error("Incorrect type. Expected pk value, received ${typeName(json)}.")
        }
        return when (val raw = decode(json, type.idColumn.columnType)) {
            is Decoded.Value -> {
                val table = type.idColumn.table as IdTable<*>
                @Suppress("UNCHECKED_CAST")
                Decoded.Value(EntityID(raw.value as Comparable<Any>, table as IdTable<Comparable<Any>>))
            }
            is Decoded.Error -> Decoded.Error("Incorrect type. Expected pk value, received ${typeName(json)}.")
            is Decoded.Nested -> raw
        }
    }

    /** DRF names Python types in type errors; these are their JSON counterparts as DRF prints them. */
    fun typeName(json: JsonElement): String = when (json) {
        is JsonObject -> "dict"
        is JsonArray -> "list"
        is JsonNull -> "NoneType"
        is JsonPrimitive -> when {
            json.isString -> "str"
            json.content == "true" || json.content == "false" -> "bool"
            json.content.toLongOrNull() != null -> "int"
            else -> "float"
        }
    }

    private fun dateTime(json: JsonElement): OffsetDateTime? {
        val p = primitive(json)?.takeIf { it.isString } ?: return null
        val text = p.content.trim()
        if (text.length > 64) return null
        return try {
            OffsetDateTime.parse(text)
        } catch (_: DateTimeParseException) {
            try {
                LocalDateTime.parse(text).atOffset(ZoneOffset.UTC)
            } catch (_: DateTimeParseException) {
                null
            }
        }
    }

    private fun date(json: JsonElement): LocalDate? {
        val p = primitive(json)?.takeIf { it.isString } ?: return null
        return try {
            LocalDate.parse(p.content.trim())
        } catch (_: DateTimeParseException) {
            null
        }
    }
}
