package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.ArrayColumnType
import org.jetbrains.exposed.v1.core.AutoIncColumnType
import org.jetbrains.exposed.v1.core.BasicUuidColumnType
import org.jetbrains.exposed.v1.core.BooleanColumnType
import org.jetbrains.exposed.v1.core.CustomEnumerationColumnType
import org.jetbrains.exposed.v1.core.ByteColumnType
import org.jetbrains.exposed.v1.core.DecimalColumnType
import org.jetbrains.exposed.v1.core.DoubleColumnType
import org.jetbrains.exposed.v1.core.EntityIDColumnType
import org.jetbrains.exposed.v1.core.EnumerationColumnType
import org.jetbrains.exposed.v1.core.EnumerationNameColumnType
import org.jetbrains.exposed.v1.core.FloatColumnType
import org.jetbrains.exposed.v1.core.IColumnType
import org.jetbrains.exposed.v1.core.IntegerColumnType
import org.jetbrains.exposed.v1.core.LongColumnType
import org.jetbrains.exposed.v1.core.ShortColumnType
import org.jetbrains.exposed.v1.core.StringColumnType
import org.jetbrains.exposed.v1.core.datetime.DurationColumnType
import org.jetbrains.exposed.v1.core.datetime.InstantColumnType
import org.jetbrains.exposed.v1.core.datetime.LocalDateColumnType
import org.jetbrains.exposed.v1.core.datetime.LocalDateTimeColumnType
import org.jetbrains.exposed.v1.core.datetime.LocalTimeColumnType
import org.jetbrains.exposed.v1.core.datetime.OffsetDateTimeColumnType

/** The families of column types filters know how to parse and compare. */
internal enum class ColumnKind(val hasDate: Boolean = false, val hasTime: Boolean = false) {
    TEXT, INTEGER, LONG, SHORT, BYTE, DECIMAL, DOUBLE, FLOAT, BOOLEAN, UUID, ENUM,
    DATE(hasDate = true),
    DATETIME(hasDate = true, hasTime = true),
    INSTANT(hasDate = true, hasTime = true),
    OFFSET_DATETIME(hasDate = true, hasTime = true),
    TIME(hasTime = true),
    DURATION, ARRAY, OTHER;

    val isNumeric: Boolean get() = this in NUMERIC

    companion object {
        private val NUMERIC = setOf(INTEGER, LONG, SHORT, BYTE, DECIMAL, DOUBLE, FLOAT)

        /** The kind of [type], looking through auto-increment and `EntityID` wrappers. */
        fun of(type: IColumnType<*>): ColumnKind = when (val t = unwrap(type)) {
            is StringColumnType -> TEXT
            is IntegerColumnType -> INTEGER
            is LongColumnType -> LONG
            is ShortColumnType -> SHORT
            is ByteColumnType -> BYTE
            is DecimalColumnType -> DECIMAL
            is DoubleColumnType -> DOUBLE
            is FloatColumnType -> FLOAT
            is BooleanColumnType -> BOOLEAN
            is BasicUuidColumnType<*> -> UUID
            is EnumerationColumnType<*>, is EnumerationNameColumnType<*>, is CustomEnumerationColumnType<*> -> ENUM
            is LocalDateColumnType<*> -> DATE
            is LocalDateTimeColumnType<*> -> DATETIME
            is InstantColumnType<*> -> INSTANT
            is OffsetDateTimeColumnType<*> -> OFFSET_DATETIME
            is LocalTimeColumnType<*> -> TIME
            is DurationColumnType<*> -> DURATION
            is ArrayColumnType<*, *> -> ARRAY
            else -> OTHER
        }

        /** [type] without auto-increment and `EntityID` wrappers. */
        fun unwrap(type: IColumnType<*>): IColumnType<*> = when (type) {
            is AutoIncColumnType<*> -> unwrap(type.delegate)
            is EntityIDColumnType<*> -> unwrap(type.idColumn.columnType)
            else -> type
        }
    }
}
