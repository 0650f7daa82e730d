package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.ArrayColumnType
import org.jetbrains.exposed.v1.core.DecimalColumnType
import org.jetbrains.exposed.v1.core.EntityIDColumnType
import org.jetbrains.exposed.v1.core.EnumerationColumnType
import org.jetbrains.exposed.v1.core.EnumerationNameColumnType
import org.jetbrains.exposed.v1.core.IColumnType
import org.jetbrains.exposed.v1.core.UuidColumnType
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IdTable
import org.jetbrains.exposed.v1.core.datetime.DurationColumnType
import org.jetbrains.exposed.v1.core.datetime.InstantColumnType
import org.jetbrains.exposed.v1.core.datetime.LocalDateColumnType
import org.jetbrains.exposed.v1.core.datetime.LocalDateTimeColumnType
import org.jetbrains.exposed.v1.core.datetime.LocalTimeColumnType
import org.jetbrains.exposed.v1.core.datetime.OffsetDateTimeColumnType
import java.math.BigDecimal
import kotlin.time.Duration
import kotlin.time.Duration.Companion.days
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.microseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds
import kotlin.time.ExperimentalTime
import kotlin.uuid.ExperimentalUuidApi
import kotlin.uuid.Uuid

/** A value that failed to parse, with the drf-restflow message for it. */
internal class Invalid(val message: String)

/**
 * Turns one raw query-string value into the value a column (or a date part) compares with.
 *
 * [parse] returns the value or an [Invalid]; it never throws for any input.
 */
internal abstract class ValueParser(
    val schemaType: String,
    val schemaFormat: String?,
    val enumValues: List<String>? = null,
) {
    abstract fun parse(raw: String): Any

    /** This parser, with its result converted by [convert] (for `EntityID` wrapping and column value types). */
    fun map(convert: (Any) -> Any): ValueParser {
        val base = this
        return object : ValueParser(schemaType, schemaFormat, enumValues) {
            override fun parse(raw: String): Any = base.parse(raw).let { if (it is Invalid) it else convert(it) }
        }
    }

    companion object {
        const val INTEGER_MESSAGE = "A valid integer is required."
        const val NUMBER_MESSAGE = "A valid number is required."
        const val BOOLEAN_MESSAGE = "Must be a valid boolean."
        const val UUID_MESSAGE = "Must be a valid UUID."
        const val DATE_MESSAGE = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
        const val DATETIME_MESSAGE =
            "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
        const val TIME_MESSAGE = "Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."
        const val DURATION_MESSAGE =
            "Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu]."

        private val INVALID_INTEGER = Invalid(INTEGER_MESSAGE)
        private val INVALID_NUMBER = Invalid(NUMBER_MESSAGE)
        private val INVALID_BOOLEAN = Invalid(BOOLEAN_MESSAGE)
        private val INVALID_UUID = Invalid(UUID_MESSAGE)
        private val INVALID_DATE = Invalid(DATE_MESSAGE)
        private val INVALID_DATETIME = Invalid(DATETIME_MESSAGE)
        private val INVALID_TIME = Invalid(TIME_MESSAGE)
        private val INVALID_DURATION = Invalid(DURATION_MESSAGE)

        fun choiceMessage(raw: String): String = "\"$raw\" is not a valid choice."

        val STRING: ValueParser = object : ValueParser("string", null) {
            override fun parse(raw: String): Any = raw
        }

        val INT: ValueParser = object : ValueParser("integer", "int32") {
            override fun parse(raw: String): Any = raw.toIntOrNull() ?: INVALID_INTEGER
        }

        val LONG: ValueParser = object : ValueParser("integer", "int64") {
            override fun parse(raw: String): Any = raw.toLongOrNull() ?: INVALID_INTEGER
        }

        val SHORT: ValueParser = object : ValueParser("integer", "int32") {
            override fun parse(raw: String): Any = raw.toShortOrNull() ?: INVALID_INTEGER
        }

        val BYTE: ValueParser = object : ValueParser("integer", "int32") {
            override fun parse(raw: String): Any = raw.toByteOrNull() ?: INVALID_INTEGER
        }

        val BOOLEAN: ValueParser = object : ValueParser("boolean", null) {
            override fun parse(raw: String): Any = parseBoolean(raw) ?: INVALID_BOOLEAN
        }

        val DOUBLE: ValueParser = object : ValueParser("number", "double") {
            override fun parse(raw: String): Any = parseFiniteDouble(raw) ?: INVALID_NUMBER
        }

        val FLOAT: ValueParser = object : ValueParser("number", "float") {
            override fun parse(raw: String): Any {
                val d = parseFiniteDouble(raw) ?: return INVALID_NUMBER
                val f = d.toFloat()
                return if (f.isFinite()) f else INVALID_NUMBER
            }
        }

        /** Any decimal, without precision checks (method filters). */
        val DECIMAL: ValueParser = decimal(null)

        @OptIn(ExperimentalUuidApi::class)
        val KOTLIN_UUID: ValueParser = object : ValueParser("string", "uuid") {
            override fun parse(raw: String): Any = parseUuid(raw)?.let {
                Uuid.fromLongs(it.mostSignificantBits, it.leastSignificantBits)
            } ?: INVALID_UUID
        }

        val JAVA_UUID: ValueParser = object : ValueParser("string", "uuid") {
            override fun parse(raw: String): Any = parseUuid(raw) ?: INVALID_UUID
        }

        /** A kotlinx-datetime `LocalDate` (date lookups, method filters). */
        val LOCAL_DATE: ValueParser = object : ValueParser("string", "date") {
            override fun parse(raw: String): Any = parseLocalDate(raw) ?: INVALID_DATE
        }

        /** A kotlinx-datetime `LocalTime` (time lookups). */
        val LOCAL_TIME: ValueParser = object : ValueParser("string", "time") {
            override fun parse(raw: String): Any = parseLocalTime(raw) ?: INVALID_TIME
        }

        /** Booleans as drf-restflow accepts them, any case. */
        fun parseBoolean(raw: String): Boolean? = when (raw.length) {
            1 -> when (raw[0]) {
                '1', 't', 'T', 'y', 'Y' -> true
                '0', 'f', 'F', 'n', 'N' -> false
                else -> null
            }
            else -> when {
                raw.equals("true", true) || raw.equals("on", true) || raw.equals("yes", true) -> true
                raw.equals("false", true) || raw.equals("off", true) || raw.equals("no", true) -> false
                else -> null
            }
        }

        private fun parseFiniteDouble(raw: String): Double? {
            if (!isPlainNumber(raw)) return null
            val d = raw.toDoubleOrNull() ?: return null
            return if (d.isFinite()) d else null
        }

        /** Digits, one optional sign, one dot, one exponent: no hex, no `NaN`, no `d`/`f` suffix. */
        private fun isPlainNumber(raw: String): Boolean {
            if (raw.isEmpty()) return false
            var digits = 0
            for (c in raw) {
                when (c) {
                    in '0'..'9' -> digits++
                    '+', '-', '.', 'e', 'E' -> Unit
                    else -> return false
                }
            }
            return digits > 0
        }

        private fun parseUuid(raw: String): java.util.UUID? {
            val hex = when (raw.length) {
                36 -> if (raw[8] == '-' && raw[13] == '-' && raw[18] == '-' && raw[23] == '-') raw.replace("-", "") else return null
                32 -> raw
                else -> return null
            }
            if (hex.length != 32 || hex.any { Character.digit(it, 16) < 0 }) return null
            return java.util.UUID(
                java.lang.Long.parseUnsignedLong(hex, 0, 16, 16),
                java.lang.Long.parseUnsignedLong(hex, 16, 32, 16),
            )
        }

        private fun parseLocalDate(raw: String): kotlinx.datetime.LocalDate? =
            try { kotlinx.datetime.LocalDate.parse(raw) } catch (_: IllegalArgumentException) { null }

        private fun parseLocalTime(raw: String): kotlinx.datetime.LocalTime? =
            try { kotlinx.datetime.LocalTime.parse(raw) } catch (_: IllegalArgumentException) { null }

        private fun parseLocalDateTime(raw: String): kotlinx.datetime.LocalDateTime? =
            try { kotlinx.datetime.LocalDateTime.parse(raw.replace(' ', 'T')) } catch (_: IllegalArgumentException) { null }

        private fun parseOffsetDateTime(raw: String): java.time.OffsetDateTime? {
            val text = raw.replace(' ', 'T')
            return try {
                java.time.OffsetDateTime.parse(text)
            } catch (_: java.time.DateTimeException) {
                parseLocalDateTime(text)?.let {
                    java.time.OffsetDateTime.of(
                        it.year, it.month.ordinal + 1, it.day, it.hour, it.minute, it.second, it.nanosecond,
                        java.time.ZoneOffset.UTC,
                    )
                }
            }
        }

        private val DRF_DURATION = Regex("""^(?:(-?\d+) )?(?:(?:(\d+):)?(\d+):)?(\d+)(?:\.(\d{1,6}))?$""")

        private fun parseDuration(raw: String): Duration? {
            Duration.parseIsoStringOrNull(raw)?.let { return it }
            val m = DRF_DURATION.matchEntire(raw) ?: return null
            return try {
                val (days, hours, minutes, seconds, micros) = m.destructured
                var d = (days.ifEmpty { "0" }.toLong()).days + hours.ifEmpty { "0" }.toLong().hours +
                    minutes.ifEmpty { "0" }.toLong().minutes + seconds.toLong().seconds
                if (micros.isNotEmpty()) d += micros.padEnd(6, '0').toLong().microseconds
                d
            } catch (_: NumberFormatException) {
                null
            }
        }

        /** A decimal checked against the column's precision and scale, with DRF's messages. */
        fun decimal(type: DecimalColumnType?): ValueParser = object : ValueParser("string", "decimal") {
            override fun parse(raw: String): Any {
                if (!isPlainNumber(raw)) return INVALID_NUMBER
                val value = try { BigDecimal(raw) } catch (_: NumberFormatException) { return INVALID_NUMBER }
                if (type == null) return value
                val stripped = value.stripTrailingZeros()
                val digitCount = stripped.precision().toLong()
                val exponent = -stripped.scale().toLong()
                val digits: Long
                val decimals: Long
                if (exponent >= 0) {
                    digits = digitCount + exponent
                    decimals = 0
                } else if (-exponent > digitCount) {
                    digits = -exponent
                    decimals = -exponent
                } else {
                    digits = digitCount
                    decimals = -exponent
                }
                val wholeDigits = digits - decimals
                return when {
                    digits > type.precision ->
                        Invalid("Ensure that there are no more than ${type.precision} digits in total.")
                    decimals > type.scale ->
                        Invalid("Ensure that there are no more than ${type.scale} decimal places.")
                    wholeDigits > type.precision - type.scale ->
                        Invalid("Ensure that there are no more than ${type.precision - type.scale} digits before the decimal point.")
                    else -> value
                }
            }
        }

        /** Choices by name, as `"z" is not a valid choice.` on a miss. */
        fun <E : Any> choices(byName: Map<String, E>): ValueParser =
            object : ValueParser("string", null, byName.keys.toList()) {
                override fun parse(raw: String): Any = byName[raw] ?: Invalid(choiceMessage(raw))
            }

        /** The parser producing values of [type]'s own value type, or `null` for a type filters cannot parse. */
        @Suppress("UNCHECKED_CAST")
        @OptIn(ExperimentalTime::class)
        fun forColumn(type: IColumnType<*>): ValueParser? {
            if (type is EntityIDColumnType<*>) {
                val table = type.idColumn.table as IdTable<Any>
                return forColumn(type.idColumn.columnType)?.map { EntityID(it, table) }
            }
            val t = ColumnKind.unwrap(type)
            return when (ColumnKind.of(t)) {
                ColumnKind.TEXT -> STRING
                ColumnKind.INTEGER -> INT
                ColumnKind.LONG -> LONG
                ColumnKind.SHORT -> SHORT
                ColumnKind.BYTE -> BYTE
                ColumnKind.DECIMAL -> decimal(t as DecimalColumnType)
                ColumnKind.DOUBLE -> DOUBLE
                ColumnKind.FLOAT -> FLOAT
                ColumnKind.BOOLEAN -> BOOLEAN
                ColumnKind.UUID -> if (t is UuidColumnType) KOTLIN_UUID else JAVA_UUID
                ColumnKind.ENUM -> {
                    val klass = when (t) {
                        is EnumerationColumnType<*> -> t.klass
                        is EnumerationNameColumnType<*> -> t.klass
                        else -> return null
                    }
                    choices(klass.java.enumConstants.associateBy { (it as Enum<*>).name })
                }
                ColumnKind.DATE -> {
                    val c = t as LocalDateColumnType<Any>
                    object : ValueParser("string", "date") {
                        override fun parse(raw: String): Any = parseLocalDate(raw)?.let(c::fromLocalDate) ?: INVALID_DATE
                    }
                }
                ColumnKind.DATETIME -> {
                    val c = t as LocalDateTimeColumnType<Any>
                    object : ValueParser("string", "date-time") {
                        override fun parse(raw: String): Any =
                            (parseLocalDateTime(raw) ?: parseOffsetDateTime(raw)?.let {
                                val utc = it.withOffsetSameInstant(java.time.ZoneOffset.UTC)
                                kotlinx.datetime.LocalDateTime(
                                    utc.year, utc.monthValue, utc.dayOfMonth, utc.hour, utc.minute, utc.second, utc.nano,
                                )
                            })?.let(c::fromLocalDateTime) ?: INVALID_DATETIME
                    }
                }
                ColumnKind.INSTANT -> {
                    val c = t as InstantColumnType<Any>
                    object : ValueParser("string", "date-time") {
                        override fun parse(raw: String): Any = parseOffsetDateTime(raw)?.let {
                            c.fromInstant(kotlin.time.Instant.fromEpochSeconds(it.toEpochSecond(), it.nano))
                        } ?: INVALID_DATETIME
                    }
                }
                ColumnKind.OFFSET_DATETIME -> {
                    val c = t as OffsetDateTimeColumnType<Any>
                    object : ValueParser("string", "date-time") {
                        override fun parse(raw: String): Any = parseOffsetDateTime(raw)?.let(c::fromOffsetDateTime) ?: INVALID_DATETIME
                    }
                }
                ColumnKind.TIME -> {
                    val c = t as LocalTimeColumnType<Any>
                    object : ValueParser("string", "time") {
                        override fun parse(raw: String): Any = parseLocalTime(raw)?.let(c::fromLocalTime) ?: INVALID_TIME
                    }
                }
                ColumnKind.DURATION -> {
                    val c = t as DurationColumnType<Any>
                    object : ValueParser("string", "duration") {
                        override fun parse(raw: String): Any = parseDuration(raw)?.let { c.fromDuration(it) } ?: INVALID_DURATION
                    }
                }
                ColumnKind.ARRAY -> forColumn((t as ArrayColumnType<*, *>).delegate)
                ColumnKind.OTHER -> null
            }
        }
    }
}
