package dev.restflow.sample.database

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.datetime.InstantColumnType
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.statements.api.RowApi
import org.jetbrains.exposed.v1.core.vendors.currentDialect
import java.sql.Timestamp
import java.time.Instant
import java.time.LocalDateTime
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.time.temporal.ChronoUnit
import kotlin.time.toJavaInstant
import kotlin.time.toKotlinInstant

/**
 * A `TIMESTAMP` (without time zone) column that holds UTC wall-clock time, read and written as [Instant].
 *
 * Exposed 1.6.1 ships only the abstract date-time column types in exposed-core (this extends its
 * `InstantColumnType`, so filters and serializers treat it as an instant); the concrete `timestamp()` factories live
 * in exposed-java-time / exposed-kotlin-datetime, and those store the JVM default zone's wall clock.
 * This type binds `LocalDateTime` in UTC through JDBC 4.2 instead, so the stored value (and anything SQL derives
 * from it, like `EXTRACT(YEAR ...)`) is UTC whatever the JVM's or the database session's zone. Values are
 * truncated to microseconds, the precision PostgreSQL and H2 keep.
 */
class UtcTimestampColumnType : InstantColumnType<Instant>() {
    override fun toInstant(value: Instant): kotlin.time.Instant = value.toKotlinInstant()

    override fun fromInstant(instant: kotlin.time.Instant): Instant = instant.toJavaInstant()

    override fun sqlType(): String = currentDialect.dataTypeProvider.timestampType()

    override fun valueFromDB(value: Any): Instant = when (value) {
        is Instant -> value
        is LocalDateTime -> value.toInstant(ZoneOffset.UTC)
        is OffsetDateTime -> value.toInstant()
        is Timestamp -> value.toLocalDateTime().toInstant(ZoneOffset.UTC)
        is String -> LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC)
        else -> error("Unexpected value of type ${value::class.qualifiedName} for a UTC timestamp column")
    }

    override fun readObject(rs: RowApi, index: Int): Any? = rs.getObject(index, LocalDateTime::class.java)

    override fun notNullValueToDB(value: Instant): Any =
        LocalDateTime.ofInstant(value.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC)

    override fun nonNullValueToString(value: Instant): String =
        "'${LITERAL.format(LocalDateTime.ofInstant(value.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))}'"

    private companion object {
        val LITERAL: DateTimeFormatter = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
    }
}

/** Registers a [UtcTimestampColumnType] column named [name]. */
fun Table.utcTimestamp(name: String): Column<Instant> = registerColumn(name, UtcTimestampColumnType())
