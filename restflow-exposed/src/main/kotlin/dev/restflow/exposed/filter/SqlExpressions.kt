package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.Expression
import org.jetbrains.exposed.v1.core.ExpressionWithColumnType
import org.jetbrains.exposed.v1.core.IColumnType
import org.jetbrains.exposed.v1.core.IntegerColumnType
import org.jetbrains.exposed.v1.core.Op
import org.jetbrains.exposed.v1.core.QueryBuilder
import org.jetbrains.exposed.v1.core.datetime.LocalDateColumnType
import org.jetbrains.exposed.v1.core.datetime.LocalTimeColumnType
import org.jetbrains.exposed.v1.core.vendors.H2Dialect
import org.jetbrains.exposed.v1.core.vendors.PostgreSQLDialect
import org.jetbrains.exposed.v1.core.vendors.currentDialect

// SQL fragments the filters need and Exposed core does not offer. Every keyword here comes from a closed set in
// this file; user values only ever arrive as bound parameters (QueryParameter).

/** A date or time part of [expr] as an integer, `EXTRACT(... FROM expr)` in the current dialect. */
internal class DatePart(private val kind: LookupKind, private val expr: Expression<*>) : ExpressionWithColumnType<Int>() {
    override val columnType: IColumnType<Int> = IntegerColumnType()

    override fun toQueryBuilder(queryBuilder: QueryBuilder) {
        val h2 = currentDialect is H2Dialect
        queryBuilder {
            when (kind) {
                LookupKind.WEEK_DAY -> {
                    // Django numbering: 1 = Sunday ... 7 = Saturday, from ISO 1 = Monday ... 7 = Sunday.
                    +"(MOD(CAST(EXTRACT(${if (h2) "ISO_DAY_OF_WEEK" else "ISODOW"} FROM "
                    +expr
                    +") AS INTEGER), 7) + 1)"
                }
                LookupKind.SECOND -> {
                    +"CAST(FLOOR(EXTRACT(SECOND FROM "
                    +expr
                    +")) AS INTEGER)"
                }
                else -> {
                    val field = when (kind) {
                        LookupKind.YEAR -> "YEAR"
                        LookupKind.MONTH -> "MONTH"
                        LookupKind.DAY -> "DAY"
                        LookupKind.WEEK -> if (h2) "ISO_WEEK" else "WEEK"
                        LookupKind.QUARTER -> "QUARTER"
                        LookupKind.HOUR -> "HOUR"
                        LookupKind.MINUTE -> "MINUTE"
                        else -> error("not a date part: $kind")
                    }
                    +"CAST(EXTRACT($field FROM "
                    +expr
                    +") AS INTEGER)"
                }
            }
        }
    }
}

/** `CAST(expr AS DATE)` or `CAST(expr AS TIME)`. */
internal class CastTo<T : Any>(
    private val expr: Expression<*>,
    private val sqlType: String,
    override val columnType: IColumnType<T>,
) : ExpressionWithColumnType<T>() {
    override fun toQueryBuilder(queryBuilder: QueryBuilder) {
        queryBuilder {
            +"CAST("
            +expr
            +" AS $sqlType)"
        }
    }
}

/** An odd number of [ops] hold: `MOD(CASE WHEN a THEN 1 ELSE 0 END + ..., 2) = 1`. */
internal class XorOp(private val ops: List<Op<Boolean>>) : Op<Boolean>() {
    override fun toQueryBuilder(queryBuilder: QueryBuilder) {
        queryBuilder {
            +"(MOD("
            ops.forEachIndexed { i, op ->
                if (i > 0) +" + "
                +"(CASE WHEN "
                +op
                +" THEN 1 ELSE 0 END)"
            }
            +", 2) = 1)"
        }
    }
}

/** A PostgreSQL-only comparison; rendering it on any other dialect fails with a clear message. */
internal class PostgresOp(
    private val lookup: String,
    private val render: QueryBuilder.() -> Unit,
) : Op<Boolean>() {
    override fun toQueryBuilder(queryBuilder: QueryBuilder) {
        requirePostgres(lookup)
        queryBuilder {
            +"("
            render()
            +")"
        }
    }

    companion object {
        fun requirePostgres(lookup: String) {
            val dialect = currentDialect
            check(dialect is PostgreSQLDialect) {
                "The filter lookup '$lookup' needs PostgreSQL, but the database dialect is ${dialect.name}."
            }
        }
    }
}

/** kotlinx-datetime `LocalDate` parameters for the `date` lookup. */
internal class KxLocalDateColumnType : LocalDateColumnType<kotlinx.datetime.LocalDate>() {
    override fun toLocalDate(value: kotlinx.datetime.LocalDate): kotlinx.datetime.LocalDate = value
    override fun fromLocalDate(value: kotlinx.datetime.LocalDate): kotlinx.datetime.LocalDate = value
}

/** kotlinx-datetime `LocalTime` parameters for the `time` lookup. */
internal class KxLocalTimeColumnType : LocalTimeColumnType<kotlinx.datetime.LocalTime>() {
    override fun toLocalTime(value: kotlinx.datetime.LocalTime): kotlinx.datetime.LocalTime = value
    override fun fromLocalTime(value: kotlinx.datetime.LocalTime): kotlinx.datetime.LocalTime = value
}

/**
 * Array containment that also runs on H2: PostgreSQL's `col @> ?` / `col && ?` there, and on H2 one
 * `ARRAY_CONTAINS(col, ?)` per value joined by AND (contains every value) or OR (overlaps). An empty list matches
 * every row for "contains" and none for "overlap", as PostgreSQL does.
 */
internal class ArrayContainmentOp(
    private val column: Expression<*>,
    private val values: List<Any?>,
    private val list: Expression<*>,
    private val element: IColumnType<*>,
    private val all: Boolean,
) : Op<Boolean>() {
    override fun toQueryBuilder(queryBuilder: QueryBuilder) {
        val dialect = currentDialect
        queryBuilder {
            when {
                dialect is PostgreSQLDialect -> {
                    +"("
                    +column
                    +(if (all) " @> " else " && ")
                    +list
                    +")"
                }
                dialect is H2Dialect -> {
                    if (values.isEmpty()) {
                        +(if (all) "TRUE" else "FALSE")
                    } else {
                        +"("
                        values.forEachIndexed { i, v ->
                            if (i > 0) +(if (all) " AND " else " OR ")
                            +"ARRAY_CONTAINS("
                            +column
                            +", "
                            @Suppress("UNCHECKED_CAST")
                            registerArgument(element as IColumnType<Any?>, v)
                            +")"
                        }
                        +")"
                    }
                }
                else -> error("Array filter lookups need PostgreSQL or H2, but the database dialect is ${dialect.name}.")
            }
        }
    }
}
