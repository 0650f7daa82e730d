package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.AndOp
import org.jetbrains.exposed.v1.core.Expression
import org.jetbrains.exposed.v1.core.Op
import org.jetbrains.exposed.v1.core.OrOp
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.vendors.DatabaseDialect
import org.jetbrains.exposed.v1.core.vendors.PostgreSQLDialect
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.Query
import org.jetbrains.exposed.v1.jdbc.andWhere
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import org.jetbrains.exposed.v1.jdbc.transactions.transaction

/**
 * A compiled set of filters and an ordering for one table: turns query parameters into an Exposed condition and
 * ordering, without Ktor (usable from a batch job or a CLI as well as from a route).
 *
 * Build it with [filterSet] (Kotlin) or [FilterSets.forTable] (Java). Immutable and thread-safe: share one instance.
 * Parsing is pure (no SQL, no transaction needed); values only ever reach SQL as bound parameters and parameter
 * names resolve only through the declared names.
 *
 * Query-string semantics: unknown parameters are ignored (or rejected in strict mode); an empty value applies no
 * filter; a repeated scalar takes the last value; list values merge commas and repeats, trimmed, empty pieces
 * dropped; `name!` negates `name`.
 */
public class FilterSet internal constructor(
    /** The table this set filters. */
    public val table: Table,
    private val defs: Map<String, ParamDef>,
    private val root: FilterGroup,
    private val groupCount: Int,
    private val ordering: OrderingDef?,
    private val strict: Boolean,
    /** The safety limits in force. */
    public val limits: FilterLimits,
    private val delimiter: Char,
    private val known: Set<String>,
    private val validators: List<FilterValidator>,
    private val preprocessors: List<QueryProcessor>,
    private val postprocessors: List<QueryProcessor>,
    /** Names of parameters whose lookups need PostgreSQL (empty when the set runs on any database). */
    public val postgresParameters: List<String>,
    /** Every parameter this set accepts, in declaration order, negation twins and the ordering parameter included. */
    public val parameters: List<FilterParameter>,
    private val required: List<Pair<String, String?>>,
) {
    /** The name of the ordering parameter, or `null` when the set declares no ordering. */
    public val orderingParameter: String? get() = ordering?.param

    /**
     * Validates [params] (name → values, as a query string decodes them) and applies the filters and ordering to
     * [query], which is changed in place and returned. When the request yields an ordering (given or default), it
     * replaces any `orderBy` already on [query].
     *
     * @throws FilterValidationException when any parameter is invalid; nothing is applied then.
     * @throws IllegalStateException when the set needs PostgreSQL and the current transaction's database is another.
     */
    public fun apply(query: Query, params: Map<String, List<String>>): Query = when (val result = parse(params)) {
        is FilterResult.Valid -> result.applyTo(query)
        is FilterResult.Invalid -> throw result.toException()
    }

    /**
     * Validates [params] into a [FilterResult] without throwing for any input: either the condition and ordering to
     * apply or the errors keyed by parameter name. Needs no transaction.
     */
    public fun parse(params: Map<String, List<String>>): FilterResult {
        var errors: LinkedHashMap<String, MutableList<String>>? = null
        fun fail(name: String, message: String) {
            val e = errors ?: LinkedHashMap<String, MutableList<String>>().also { errors = it }
            val list = e.getOrPut(name) { ArrayList(1) }
            if (message !in list) list += message
        }

        var count = 0
        for (key in params.keys) if (key !in known) count++
        if (count > limits.maxParams) {
            return FilterResult.Invalid(
                mapOf(NON_FIELD to listOf("Too many query parameters: at most ${limits.maxParams} are allowed.")),
            )
        }

        val ops = arrayOfNulls<ArrayList<Op<Boolean>>>(groupCount)
        val values: MutableMap<String, Any>? = if (validators.isEmpty()) null else LinkedHashMap()
        var orderValues: List<String>? = null
        var seen: HashSet<String>? = null

        for ((key, raw) in params) {
            if (ordering != null && key == ordering.param) {
                orderValues = raw
                continue
            }
            val def = defs[key]
            if (def == null) {
                if (strict && key !in known) fail(key, "Unknown query parameter.")
                continue
            }
            if (raw.isEmpty()) continue
            if (raw.size > limits.maxListValues) {
                fail(key, "Ensure this field has no more than ${limits.maxListValues} elements.")
                continue
            }
            if (raw.any { it.length > limits.maxValueLength }) {
                fail(key, "Ensure this field has no more than ${limits.maxValueLength} characters.")
                continue
            }
            // PostgreSQL rejects NUL in text parameters with an error; DRF answers this message.
            if (raw.any { '\u0000' in it }) {
                fail(key, "Null characters are not allowed.")
                continue
            }
            val value: Any = if (def.list) {
                val pieces = split(raw)
                if (pieces == null) {
                    fail(key, "Ensure this field has no more than ${limits.maxListValues} elements.")
                    continue
                }
                if (pieces.isEmpty()) continue
                if (def.pair && pieces.size != 2) {
                    fail(key, "Ensure this field has exactly 2 elements.")
                    continue
                }
                val parsed = ArrayList<Any>(pieces.size)
                var bad = false
                for (piece in pieces) {
                    val v = def.parser.parse(piece)
                    if (v is Invalid) {
                        fail(key, v.message)
                        bad = true
                    } else {
                        parsed += v
                    }
                }
                if (bad) continue
                parsed
            } else {
                val last = raw[raw.size - 1].trim()
                if (last.isEmpty()) continue
                val v = def.parser.parse(last)
                if (v is Invalid) {
                    fail(key, v.message)
                    continue
                }
                v
            }
            if (required.isNotEmpty()) (seen ?: HashSet<String>().also { seen = it }).add(key)
            values?.put(key, value)
            if (errors == null) {
                val list = ops[def.group.index] ?: ArrayList<Op<Boolean>>(4).also { ops[def.group.index] = it }
                list += def.build(value)
            }
        }

        for ((name, twin) in required) {
            val s = seen
            if (s == null || (name !in s && (twin == null || twin !in s))) fail(name, "This field is required.")
        }

        val orderBy = ordering?.let { parseOrdering(it, orderValues, ::fail) } ?: emptyList()

        if (errors == null && values != null) {
            val collected = LinkedHashMap<String, MutableList<String>>()
            val context = FilterValidationContext(values, collected)
            for (v in validators) v.validate(context)
            for ((k, messages) in collected) for (m in messages) fail(k, m)
        }

        errors?.let { return FilterResult.Invalid(it) }
        return FilterResult.Valid(combine(root, ops), orderBy, this)
    }

    /** Checks that [database] supports every lookup of this set; call it at startup to fail before any request. */
    public fun verify(database: Database) {
        if (postgresParameters.isEmpty()) return
        // Exposed resolves a dialect (and its name) only inside a transaction ("No transaction in context" otherwise).
        transaction(database) { checkDialect(database.dialect) }
    }

    internal fun applyValid(query: Query, result: FilterResult.Valid): Query {
        if (postgresParameters.isNotEmpty()) TransactionManager.currentOrNull()?.db?.dialect?.let(::checkDialect)
        var q = query
        for (p in preprocessors) q = p.process(q)
        result.where?.let { w -> q = q.andWhere { w } }
        if (result.orderBy.isNotEmpty()) {
            // The filter set's ordering replaces any orderBy already on the query (issue 3: the client's order wins).
            // Exposed keeps the list mutable internally and only appends, so clear it before adding ours.
            (q.orderByExpressions as? MutableList<*>)?.clear()
            q = q.orderBy(*result.orderBy.toTypedArray())
        }
        for (p in postprocessors) q = p.process(q)
        return q
    }

    private fun checkDialect(dialect: DatabaseDialect) {
        check(postgresParameters.isEmpty() || dialect is PostgreSQLDialect) {
            "Filter set on ${table.tableName} uses PostgreSQL-only lookups ($postgresParameters) but the database " +
                "dialect is ${dialect.name}; remove those lookups or use PostgreSQL."
        }
    }

    /** Comma- (or delimiter-) separated pieces of every value, trimmed, empty pieces dropped; `null` over the limit. */
    private fun split(raw: List<String>): List<String>? {
        val out = ArrayList<String>(4)
        for (value in raw) {
            var start = 0
            while (start <= value.length) {
                var end = value.indexOf(delimiter, start)
                if (end < 0) end = value.length
                var s = start
                var e = end
                while (s < e && value[s].isWhitespace()) s++
                while (e > s && value[e - 1].isWhitespace()) e--
                if (e > s) {
                    if (out.size == limits.maxListValues) return null
                    out += value.substring(s, e)
                }
                start = end + 1
            }
        }
        return out
    }

    private fun parseOrdering(
        def: OrderingDef,
        raw: List<String>?,
        fail: (String, String) -> Unit,
    ): List<Pair<Expression<*>, SortOrder>> {
        var tokens: List<String>? = null
        if (raw != null && raw.isNotEmpty()) {
            if (raw.size > limits.maxListValues || raw.any { it.length > limits.maxValueLength }) {
                fail(def.param, "Ensure this field has no more than ${limits.maxValueLength} characters.")
                return emptyList()
            }
            tokens = split(raw)
            if (tokens == null) {
                fail(def.param, "Ensure this field has no more than ${limits.maxListValues} elements.")
                return emptyList()
            }
        }
        if (tokens.isNullOrEmpty()) tokens = def.defaults
        val out = ArrayList<Pair<Expression<*>, SortOrder>>(tokens.size + def.tieBreaker.size)
        val used = HashSet<Expression<*>>()
        var bad = false
        for (token in tokens) {
            val desc = token.startsWith('-')
            val key = def.keys[if (desc) token.substring(1) else token]
            if (key == null) {
                fail(def.param, ValueParser.choiceMessage(token))
                bad = true
                continue
            }
            val order = key.sortOrder(desc)
            for (c in key.columns) if (used.add(c)) out += c to order
        }
        if (bad) return emptyList()
        for (c in def.tieBreaker) if (used.add(c)) out += c to SortOrder.ASC
        return out
    }

    private fun combine(group: FilterGroup, ops: Array<ArrayList<Op<Boolean>>?>): Op<Boolean>? {
        val own = ops[group.index]
        val parts: MutableList<Op<Boolean>> = if (group.children.isEmpty()) {
            own ?: return null
        } else {
            val list = ArrayList<Op<Boolean>>(own ?: emptyList())
            for (child in group.children) combine(child, ops)?.let { list += it }
            list
        }
        return when {
            parts.isEmpty() -> null
            parts.size == 1 -> parts[0]
            group.operator == FilterOperator.AND -> AndOp(parts)
            group.operator == FilterOperator.OR -> OrOp(parts)
            else -> XorOp(parts)
        }
    }

    override fun toString(): String = "FilterSet(${table.tableName}, ${defs.size} parameters)"

    private companion object {
        const val NON_FIELD = "non_field_errors"
    }
}
