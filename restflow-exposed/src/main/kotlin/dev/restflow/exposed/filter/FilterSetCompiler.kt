package dev.restflow.exposed.filter

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.CustomEnumerationColumnType
import org.jetbrains.exposed.v1.core.Expression
import org.jetbrains.exposed.v1.core.InSubQueryOp
import org.jetbrains.exposed.v1.core.Op
import org.jetbrains.exposed.v1.jdbc.select

/** Resolves a [FilterSetBuilder]'s declarations into the lookup tables of a [FilterSet]. */
internal class FilterSetCompiler(private val b: FilterSetBuilder<*>, private val groupCount: Int) {
    private val defs = LinkedHashMap<String, ParamDef>()
    private val described = ArrayList<FilterParameter>()
    private val required = ArrayList<Pair<String, String?>>()
    private val postgres = LinkedHashSet<String>()

    fun compile(): FilterSet {
        require(b.separator.isNotEmpty() && b.separator.none { it == '!' || it == '=' || it == '&' }) {
            "Invalid separator '${b.separator}'"
        }
        require(b.listDelimiter != '!' && !b.listDelimiter.isWhitespace()) { "Invalid list delimiter '${b.listDelimiter}'" }
        LookupOps.validateSearchConfig(b.textSearchConfig)
        val explicit = b.registry.fields.filter { !it.derived }.mapTo(HashSet()) { it.name }
        for (spec in b.registry.fields) {
            if (spec.derived && spec.name in explicit) continue
            compileField(spec)
        }
        for (m in b.registry.methods) compileMethod(m)
        val ordering = b.ordering?.let { o ->
            require(o.param !in defs) { "The ordering parameter '${o.param}' is also a filter parameter" }
            require(o.keys.isNotEmpty()) { "ordering { } declares no key" }
            for (d in o.defaults) {
                require(d.removePrefix("-") in o.keys) { "Default ordering '$d' is not a declared key" }
            }
            val tie: List<Expression<*>> = o.tieBreaker ?: b.table.primaryKey?.columns?.toList().orEmpty()
            val keyNames = o.keys.keys.flatMap { listOf(it, "-$it") }
            described += FilterParameter(
                o.param, "array", null, "string", null, keyNames, "Which field to use when ordering the results.",
                false, o.param, null, false,
            )
            OrderingDef(o.param, LinkedHashMap(o.keys), o.defaults, tie)
        }
        val known = HashSet<String>(ALWAYS_KNOWN)
        known += b.extraKnown
        ordering?.let { known += it.param }
        return FilterSet(
            b.table, HashMap(defs), b.root, groupCount, ordering, b.strict, b.limits, b.listDelimiter, known,
            b.validators.toList(), b.preprocessors.toList(), b.postprocessors.toList(), postgres.toList(),
            described.toList(), required.toList(),
        )
    }

    private fun add(def: ParamDef, required: Boolean = false) {
        require(def.name !in defs) { "Duplicate filter parameter '${def.name}'" }
        defs[def.name] = def
        val p = def.parser
        described += if (def.list) {
            FilterParameter(def.name, "array", null, p.schemaType, p.schemaFormat, p.enumValues, def.description,
                required, def.field, def.lookup, def.negated)
        } else {
            FilterParameter(def.name, p.schemaType, p.schemaFormat, null, null, p.enumValues, def.description,
                required, def.field, def.lookup, def.negated)
        }
    }

    /** Adds [def] and, when [negate] is on, its `!` twin. */
    private fun addWithTwin(def: ParamDef, negate: Boolean, nullable: Column<*>?, required: Boolean = false) {
        add(def, required)
        if (negate) {
            val build = def.build
            add(
                ParamDef(
                    def.name + "!", def.field, def.lookup, true, def.list, def.pair, def.parser, def.group,
                    "exclude where " + def.description,
                ) { v -> LookupOps.negate(build(v), nullable) },
            )
        }
        if (required) this.required += def.name to (if (negate) def.name + "!" else null)
    }

    private fun compileField(spec: FieldSpec) {
        val column = spec.column
        val kind = ColumnKind.of(column.columnType)
        val array = kind == ColumnKind.ARRAY
        val parser = spec.choices?.let(ValueParser::choices) ?: requireNotNull(ValueParser.forColumn(column.columnType)) {
            if (ColumnKind.unwrap(column.columnType) is CustomEnumerationColumnType<*>) {
                "Column $column is a customEnumeration, whose values Exposed cannot list; declare them with " +
                    "choices(MyEnum.entries) in its field { } block"
            } else {
                "Column $column (${column.columnType::class.simpleName}) cannot be filtered by value; use method(...) instead"
            }
        }
        val wrap = wrapper(spec.path)
        val nullable: Column<*>? = if (spec.path.isNotEmpty()) {
            spec.path.first().takeIf { it.columnType.nullable }
        } else {
            column.takeIf { it.columnType.nullable }
        }
        val negate = spec.allowNegate ?: b.allowNegate
        val separator = spec.separator ?: b.separator
        val config = b.textSearchConfig

        val custom = spec.custom
        val baseBuild: (Any) -> Op<Boolean> = if (custom != null) {
            { v -> wrap(custom.filter(v)) }
        } else {
            { v -> wrap(LookupOps.build(LookupKind.EXACT, column, array, config, v)) }
        }
        addWithTwin(
            ParamDef(spec.name, spec.name, null, false, array, false, parser, spec.group,
                spec.description ?: "${spec.name} equals", baseBuild),
            negate, nullable, spec.required,
        )
        for (l in spec.lookups) {
            val lk = l.lookup.kind
            checkFits(lk, kind, column, l.lookup.name)
            val suffix = l.suffix(separator)
            val name = spec.name + separator + suffix
            if (lk.postgresOnly) postgres += name
            val then = l.then
            if (then != null) {
                addPartLookup(spec, l, then, name, wrap, negate, nullable)
                continue
            }
            val lookupParser = when (lk) {
                LookupKind.ISNULL -> ValueParser.BOOLEAN
                LookupKind.DATE -> ValueParser.LOCAL_DATE
                LookupKind.TIME -> ValueParser.LOCAL_TIME
                LookupKind.YEAR, LookupKind.MONTH, LookupKind.DAY, LookupKind.WEEK, LookupKind.WEEK_DAY,
                LookupKind.QUARTER, LookupKind.HOUR, LookupKind.MINUTE, LookupKind.SECOND -> ValueParser.INT
                LookupKind.ICONTAINS, LookupKind.STARTSWITH, LookupKind.ISTARTSWITH, LookupKind.ENDSWITH,
                LookupKind.IENDSWITH, LookupKind.IEXACT, LookupKind.SEARCH, LookupKind.TRIGRAM_SIMILAR,
                LookupKind.UNACCENT, LookupKind.REGEX, LookupKind.IREGEX -> ValueParser.STRING
                LookupKind.CONTAINS -> if (array) parser else ValueParser.STRING
                else -> parser
            }
            val list = lk.takesList || (lk == LookupKind.CONTAINS && array)
            addWithTwin(
                ParamDef(name, spec.name, l.lookup.name, false, list, lk == LookupKind.RANGE, lookupParser, spec.group,
                    "${spec.name} ${l.help ?: l.lookup.description}") { v ->
                    wrap(LookupOps.build(lk, column, array, config, v))
                },
                negate, if (lk == LookupKind.ISNULL) null else nullable,
            )
        }
    }

    /** `created_at__year__gte`: [then] compares the part [l] of the column. */
    private fun addPartLookup(
        spec: FieldSpec,
        l: LookupSpec,
        then: Lookup<*>,
        name: String,
        wrap: (Op<Boolean>) -> Op<Boolean>,
        negate: Boolean,
        nullable: Column<*>?,
    ) {
        val part = l.lookup.kind
        val parser = when (part) {
            LookupKind.DATE -> ValueParser.LOCAL_DATE
            LookupKind.TIME -> ValueParser.LOCAL_TIME
            else -> ValueParser.INT
        }
        val column = spec.column
        val partName = l.lookup.description.replace(" equals", "")
        addWithTwin(
            ParamDef(name, spec.name, l.lookup.name + (spec.separator ?: b.separator) + then.name, false,
                then.kind.takesList, then.kind == LookupKind.RANGE, parser, spec.group,
                "${spec.name} ${l.help ?: "$partName ${then.description}"}") { v ->
                wrap(LookupOps.build(then.kind, LookupOps.part(part, column), false, null, v))
            },
            negate, nullable,
        )
    }

    private fun compileMethod(m: MethodSpec) {
        val filter = m.filter
        addWithTwin(
            ParamDef(m.name, m.name, null, false, m.type.isList, false, m.type.parser, m.group,
                m.description ?: "filter by ${m.name}") { v -> filter.filter(v) },
            m.allowNegate ?: b.allowNegate, null, m.required,
        )
    }

    private fun wrapper(path: List<Column<*>>): (Op<Boolean>) -> Op<Boolean> {
        if (path.isEmpty()) return { it }
        val hops = path.map { fk -> fk to requireNotNull(fk.referee) { "Column $fk is not a foreign key" } }
        return { op ->
            var result = op
            for ((fk, referee) in hops.asReversed()) {
                result = InSubQueryOp(fk, referee.table.select(referee).where(result))
            }
            result
        }
    }

    private fun checkFits(lookup: LookupKind, kind: ColumnKind, column: Column<*>, name: String) {
        val fits = when (lookup) {
            LookupKind.EXACT, LookupKind.ISNULL -> true
            LookupKind.IN -> kind != ColumnKind.ARRAY
            LookupKind.CONTAINS -> kind == ColumnKind.TEXT || kind == ColumnKind.ARRAY
            LookupKind.ICONTAINS, LookupKind.STARTSWITH, LookupKind.ISTARTSWITH, LookupKind.ENDSWITH,
            LookupKind.IENDSWITH, LookupKind.IEXACT, LookupKind.SEARCH, LookupKind.TRIGRAM_SIMILAR,
            LookupKind.UNACCENT, LookupKind.REGEX, LookupKind.IREGEX -> kind == ColumnKind.TEXT
            LookupKind.GT, LookupKind.GTE, LookupKind.LT, LookupKind.LTE, LookupKind.RANGE ->
                kind.isNumeric || kind.hasDate || kind.hasTime || kind == ColumnKind.DURATION || kind == ColumnKind.TEXT
            LookupKind.DATE, LookupKind.YEAR, LookupKind.MONTH, LookupKind.DAY, LookupKind.WEEK,
            LookupKind.WEEK_DAY, LookupKind.QUARTER -> kind.hasDate
            LookupKind.TIME, LookupKind.HOUR, LookupKind.MINUTE, LookupKind.SECOND -> kind.hasTime
            LookupKind.ARRAY_CONTAINS, LookupKind.OVERLAP, LookupKind.CONTAINED_BY -> kind == ColumnKind.ARRAY
        }
        require(fits) { "Lookup '$name' does not apply to column $column of type ${column.columnType::class.simpleName}" }
    }

    companion object {
        /** Pagination, ordering and format parameters every endpoint may receive. */
        val ALWAYS_KNOWN: Set<String> = setOf("page", "page_size", "limit", "offset", "cursor", "format")
    }
}
