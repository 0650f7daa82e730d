package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.ArrayColumnType
import org.jetbrains.exposed.v1.core.AndOp
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.EqOp
import org.jetbrains.exposed.v1.core.Expression
import org.jetbrains.exposed.v1.core.ExpressionWithColumnType
import org.jetbrains.exposed.v1.core.GreaterEqOp
import org.jetbrains.exposed.v1.core.GreaterOp
import org.jetbrains.exposed.v1.core.IColumnType
import org.jetbrains.exposed.v1.core.IsNotNullOp
import org.jetbrains.exposed.v1.core.IsNullOp
import org.jetbrains.exposed.v1.core.LessEqOp
import org.jetbrains.exposed.v1.core.LessOp
import org.jetbrains.exposed.v1.core.LikeEscapeOp
import org.jetbrains.exposed.v1.core.LowerCase
import org.jetbrains.exposed.v1.core.NotOp
import org.jetbrains.exposed.v1.core.Op
import org.jetbrains.exposed.v1.core.OrOp
import org.jetbrains.exposed.v1.core.QueryParameter
import org.jetbrains.exposed.v1.core.RegexpOp
import org.jetbrains.exposed.v1.core.TextColumnType
import org.jetbrains.exposed.v1.core.ops.SingleValueInListOp

/** Builds the Exposed condition of a lookup; every value is a bound [QueryParameter]. */
internal object LookupOps {
    private val TEXT = TextColumnType()
    private val LOCAL_DATE = KxLocalDateColumnType()
    private val LOCAL_TIME = KxLocalTimeColumnType()
    private val SEARCH_CONFIG = Regex("[A-Za-z_][A-Za-z0-9_.]*")

    fun validateSearchConfig(config: String?) {
        require(config == null || SEARCH_CONFIG.matches(config)) {
            "Text search configuration must be a plain identifier such as 'english', was '$config'"
        }
    }

    @Suppress("UNCHECKED_CAST")
    private fun param(value: Any, type: IColumnType<*>): QueryParameter<Any> = QueryParameter(value, type as IColumnType<Any>)

    private fun text(value: Any): QueryParameter<Any> = param(value, TEXT)

    /** `%`, `_` and the escape character itself match literally. */
    fun escapeLike(value: String): String {
        var special = false
        for (c in value) if (c == '%' || c == '_' || c == '\\') { special = true; break }
        if (!special) return value
        val sb = StringBuilder(value.length + 8)
        for (c in value) {
            if (c == '%' || c == '_' || c == '\\') sb.append('\\')
            sb.append(c)
        }
        return sb.toString()
    }

    @Suppress("UNCHECKED_CAST")
    private fun like(col: Expression<*>, pattern: String, ignoreCase: Boolean): Op<Boolean> {
        val p = text(pattern)
        return if (ignoreCase) {
            LikeEscapeOp(LowerCase(col as Expression<String>), LowerCase(p as Expression<String>), true, '\\')
        } else {
            LikeEscapeOp(col, p, true, '\\')
        }
    }

    /** The condition of [kind] on [col] for the parsed [value] (a `List` for list lookups). */
    @Suppress("UNCHECKED_CAST")
    fun build(kind: LookupKind, col: ExpressionWithColumnType<*>, arrayColumn: Boolean, searchConfig: String?, value: Any): Op<Boolean> {
        val type = col.columnType
        return when (kind) {
            LookupKind.EXACT -> EqOp(col, param(value, type))
            LookupKind.IN -> SingleValueInListOp(col as ExpressionWithColumnType<Any>, value as List<Any>, true)
            LookupKind.ISNULL -> if (value as Boolean) IsNullOp(col) else IsNotNullOp(col)
            LookupKind.ICONTAINS -> like(col, "%" + escapeLike(value as String) + "%", true)
            LookupKind.CONTAINS -> if (arrayColumn) arrayOp(kind, col, value) else like(col, "%" + escapeLike(value as String) + "%", false)
            LookupKind.STARTSWITH -> like(col, escapeLike(value as String) + "%", false)
            LookupKind.ISTARTSWITH -> like(col, escapeLike(value as String) + "%", true)
            LookupKind.ENDSWITH -> like(col, "%" + escapeLike(value as String), false)
            LookupKind.IENDSWITH -> like(col, "%" + escapeLike(value as String), true)
            LookupKind.IEXACT -> EqOp(LowerCase(col as Expression<String>), LowerCase(text(value) as Expression<String>))
            LookupKind.GT -> GreaterOp(col, param(value, type))
            LookupKind.GTE -> GreaterEqOp(col, param(value, type))
            LookupKind.LT -> LessOp(col, param(value, type))
            LookupKind.LTE -> LessEqOp(col, param(value, type))
            LookupKind.RANGE -> {
                val (low, high) = value as List<Any>
                AndOp(listOf(GreaterEqOp(col, param(low, type)), LessEqOp(col, param(high, type))))
            }
            LookupKind.DATE, LookupKind.TIME, LookupKind.YEAR, LookupKind.MONTH, LookupKind.DAY, LookupKind.WEEK,
            LookupKind.WEEK_DAY, LookupKind.QUARTER, LookupKind.HOUR, LookupKind.MINUTE, LookupKind.SECOND -> {
                val part = part(kind, col)
                EqOp(part, param(value, part.columnType))
            }
            LookupKind.SEARCH -> {
                val cfg = if (searchConfig == null) "" else "'$searchConfig'::regconfig, "
                val p = text(value)
                PostgresOp("search") {
                    +"to_tsvector($cfg"
                    +col
                    +") @@ plainto_tsquery($cfg"
                    +p
                    +")"
                }
            }
            LookupKind.TRIGRAM_SIMILAR -> {
                val p = text(value)
                PostgresOp("trigram_similar") {
                    +col
                    +" % "
                    +p
                }
            }
            LookupKind.UNACCENT -> {
                val p = text(value)
                PostgresOp("unaccent") {
                    +"unaccent("
                    +col
                    +") = unaccent("
                    +p
                    +")"
                }
            }
            LookupKind.ARRAY_CONTAINS, LookupKind.OVERLAP, LookupKind.CONTAINED_BY -> arrayOp(kind, col, value)
            LookupKind.REGEX -> RegexpOp(col as Expression<String>, text(value) as Expression<String>, true)
            LookupKind.IREGEX -> RegexpOp(col as Expression<String>, text(value) as Expression<String>, false)
        }
    }

    /**
     * The part [kind] of [col] as an expression typed by what it yields: `CAST(col AS DATE)` for `date`,
     * `CAST(col AS TIME)` for `time`, an integer `EXTRACT(...)` for the others.
     */
    fun part(kind: LookupKind, col: Expression<*>): ExpressionWithColumnType<*> = when (kind) {
        LookupKind.DATE -> CastTo(col, "DATE", LOCAL_DATE)
        LookupKind.TIME -> CastTo(col, "TIME", LOCAL_TIME)
        else -> {
            require(kind.isPart) { "not a date or time part: $kind" }
            DatePart(kind, col)
        }
    }

    private fun arrayOp(kind: LookupKind, col: ExpressionWithColumnType<*>, value: Any): Op<Boolean> {
        val arrayType = col.columnType as? ArrayColumnType<*, *>
        if (kind != LookupKind.CONTAINED_BY && arrayType != null && value is List<*>) {
            return ArrayContainmentOp(col, value, param(value, col.columnType), arrayType.delegate, all = kind != LookupKind.OVERLAP)
        }
        val (sign, name) = when (kind) {
            LookupKind.OVERLAP -> "&&" to "overlap"
            LookupKind.CONTAINED_BY -> "<@" to "contained_by"
            else -> "@>" to "contains"
        }
        val p = param(value, col.columnType)
        return PostgresOp(name) {
            +col
            +" $sign "
            +p
        }
    }

    /** `NOT op`, keeping rows where [nullable] is `NULL` as Django's `exclude()` does. */
    fun negate(op: Op<Boolean>, nullable: Column<*>?): Op<Boolean> =
        if (nullable == null) NotOp(op) else OrOp(listOf(NotOp(op), IsNullOp(nullable)))
}
