package dev.restflow.ktor.serializer

import dev.restflow.ktor.error.JsonValues
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.EntityIDColumnType
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IdTable

/**
 * A serializer derived from a table's columns, built with [serializer]: it renders rows with the right JSON types
 * (decimals as strings with their scale, instants ISO-8601 UTC, enums by name, arrays as lists, references as ids)
 * and validates request bodies against the columns (types, lengths, nullability, references that must exist) and the
 * declared rules.
 *
 * In strict mode (the default) a body with an unknown field or a read-only field is rejected as a whole.
 * Immutable and thread-safe.
 */
public class TableSerializer internal constructor(
    /** The table the serializer reads and writes. */
    public val table: Table,
    internal val fields: List<SerializerField>,
    internal val computed: List<Pair<String, (ResultRow) -> Any?>>,
    private val objectChecks: List<suspend (ValidatedData, FieldErrors) -> Unit>,
    /** Whether unknown and read-only fields in a body are rejected. */
    public val strict: Boolean,
) : ResponseSerializer, RequestSerializer {
    private val byName = fields.associateBy { it.name }
    private val output = fields.filter { !it.writeOnly }

    override val fieldNames: List<String> = output.map { it.name } + computed.map { it.first }

    override val writableFieldNames: List<String> = fields.filter { !it.readOnly }.map { it.name }

    /** The columns this serializer reads from a row (for building queries that select only what is needed). */
    public val columns: List<Column<*>> get() = output.map { it.column }

    /** The field name of [column], or `null` when the serializer does not include it. */
    public fun fieldName(column: Column<*>): String? = fields.firstOrNull { it.column == column }?.name

    override fun serialize(row: ResultRow, attached: Map<String, JsonElement>): JsonElement {
        val out = LinkedHashMap<String, JsonElement>(output.size + computed.size + attached.size)
        for (field in output) out[field.name] = JsonColumnCodec.encode(row[field.column], field.column.columnType)
        for ((name, compute) in computed) out[name] = JsonValues.of(compute(row))
        for ((name, value) in attached) out[name] = value
        return JsonObject(out)
    }

    /** Writes the same text as `serialize(row, attached).toString()`, without building the element tree. */
    override fun writeTo(row: ResultRow, out: StringBuilder, attached: Map<String, JsonElement>) {
        out.append('{')
        var first = true
        for (field in output) {
            if (!first) out.append(',')
            first = false
            JsonText.quote(field.name, out)
            out.append(':')
            JsonColumnCodec.write(row[field.column], field.column.columnType, out)
        }
        for ((name, compute) in computed) {
            if (!first) out.append(',')
            first = false
            JsonText.quote(name, out)
            out.append(':').append(JsonValues.of(compute(row)).toString())
        }
        for ((name, value) in attached) {
            if (!first) out.append(',')
            first = false
            JsonText.quote(name, out)
            out.append(':').append(value.toString())
        }
        out.append('}')
    }

    override suspend fun deserialize(body: JsonElement, mode: WriteMode, instance: ResultRow?): ValidatedData {
        val obj = BodyShape.requireObject(body)
        val errors = FieldErrors()
        if (strict) {
            for (key in obj.keys) {
                val field = byName[key]
                when {
                    field == null -> errors.add(key, UNKNOWN_FIELD)
                    field.readOnly -> errors.add(key, READ_ONLY_FIELD)
                }
            }
        }
        val values = LinkedHashMap<Column<*>, Any?>()
        for (field in fields) {
            if (field.readOnly) continue
            val json = obj[field.name]
            if (json == null) {
                if (mode != WriteMode.PARTIAL) {
                    when {
                        field.isRequired -> errors.add(field.name, JsonColumnCodec.REQUIRED)
                        field.default != null && mode == WriteMode.CREATE -> values[field.column] = field.default!!.invoke()
                    }
                }
                continue
            }
            if (json is JsonNull && !field.column.columnType.nullable) {
                errors.add(field.name, JsonColumnCodec.NOT_NULL)
                continue
            }
            when (val decoded = JsonColumnCodec.decode(json, field.column.columnType, field.trim, field.allowBlank)) {
                is Decoded.Error -> errors.add(field.name, decoded.message)
                is Decoded.Nested -> errors.nest(field.name, decoded.errors)
                is Decoded.Value -> values[field.column] = decoded.value
            }
        }
        for (field in fields) {
            if (errors.has(field.name) || field.column !in values) continue
            val value = values[field.column] ?: continue
            val messages = buildList {
                referenceMissing(field.column, value)?.let(::add)
                field.rules?.let { addAll(it.run(value)) }
            }
            messages.forEach { errors.add(field.name, it) }
        }
        errors.throwIfAny()
        val data = ValidatedData(values, provided = obj.keys)
        for (check in objectChecks) check(data, errors)
        errors.throwIfAny()
        return data
    }

    /** DRF's PrimaryKeyRelatedField check: a reference must name an existing row. */
    private fun referenceMissing(column: Column<*>, value: Any): String? {
        val type = column.columnType as? EntityIDColumnType<*> ?: return null
        val referenced = type.idColumn.table as? IdTable<*> ?: return null
        if (referenced == column.table && column.referee == null) return null
        val id = value as? EntityID<*> ?: return null
        @Suppress("UNCHECKED_CAST")
        val t = referenced as IdTable<Comparable<Any>>
        @Suppress("UNCHECKED_CAST")
        val exists = ReferenceLookup.exists(t, id as EntityID<Comparable<Any>>)
        return if (exists) null else "Invalid pk \"${id.value.toString().take(100)}\" - object does not exist."
    }

    internal companion object {
        const val UNKNOWN_FIELD: String = "Unknown field."
        const val READ_ONLY_FIELD: String = "This field is read-only."
    }
}

/**
 * A serializer for [table]'s columns: every column by default, named by its SQL name (references without `_id`),
 * the auto-increment id read-only. Configure it in [block]; see [TableSerializerBuilder].
 */
public fun serializer(table: Table, block: TableSerializerBuilder.() -> Unit = {}): TableSerializer =
    TableSerializerBuilder(table).apply(block).build()
