package dev.restflow.ktor.openapi

import dev.restflow.exposed.pagination.PageShape
import dev.restflow.exposed.postfetch.PostFetch
import dev.restflow.ktor.serializer.JsonColumnCodec
import dev.restflow.ktor.serializer.RequestSerializer
import dev.restflow.ktor.serializer.ResponseSerializer
import dev.restflow.ktor.serializer.SerializerField
import dev.restflow.ktor.serializer.TableSerializer
import dev.restflow.ktor.serializer.TypedRequestSerializer
import dev.restflow.ktor.serializer.TypedResponseSerializer
import dev.restflow.ktor.view.FieldMetadata
import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.descriptors.PrimitiveKind
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.descriptors.SerialKind
import kotlinx.serialization.descriptors.StructureKind
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.exposed.v1.core.ArrayColumnType
import org.jetbrains.exposed.v1.core.BasicUuidColumnType
import org.jetbrains.exposed.v1.core.BooleanColumnType
import org.jetbrains.exposed.v1.core.ByteColumnType
import org.jetbrains.exposed.v1.core.Column
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
import org.jetbrains.exposed.v1.core.CharColumnType
import org.jetbrains.exposed.v1.core.Table

/**
 * The `components/schemas` of one document: schemas of serializers (table-derived and kotlinx-serialization typed),
 * page envelopes and the error envelope, each registered once under a unique name.
 *
 * Read-only fields are marked `readOnly` in response schemas and left out of request schemas; write-only fields
 * appear only in request schemas, marked `writeOnly`, and never with a default or example.
 */
internal class SchemaRegistry {
    val schemas: LinkedHashMap<String, JsonElement> = LinkedHashMap()
    private val byKey = HashMap<Any, String>()

    fun ref(name: String): JsonObject = Js.ref("schemas", name)

    /** Registers the schema [build] makes under [base] (or `base2`, … when taken by another key) once per [key]. */
    fun register(key: Any, base: String, build: () -> JsonObject): String {
        byKey[key]?.let { return it }
        var name = base
        var i = 2
        while (name in schemas) name = base + i++
        byKey[key] = name
        schemas[name] = JsonObject(emptyMap()) // reserved while building (recursive classes)
        schemas[name] = build()
        return name
    }

    // ---- serializers ----------------------------------------------------------------------------------------------

    /** The schema of what [serializer] renders, with the values [postFetches] attach. */
    fun response(serializer: ResponseSerializer, postFetches: List<PostFetch>): JsonObject {
        val key = listOf("response", serializer) + postFetches
        val name = when (serializer) {
            is TableSerializer -> register(key, modelName(serializer.table)) { tableResponse(serializer, postFetches) }
            is TypedResponseSerializer<*> -> {
                val descriptor = serializer.serializer.descriptor
                if (postFetches.isEmpty()) return descriptor(descriptor)
                register(key, className(descriptor)) { withAttached(descriptor(descriptor), postFetches) }
            }
            else -> register(key, "Item") {
                withAttached(Js.obj("type" to "object", "properties" to serializer.fieldNames.associateWith { Js.obj() }), postFetches)
            }
        }
        return ref(name)
    }

    /** The schema of the body [serializer] accepts; [partial] drops `required` (PATCH). */
    fun request(serializer: RequestSerializer, partial: Boolean): JsonObject {
        val key = listOf("request", serializer, partial)
        val name = when (serializer) {
            is TableSerializer -> {
                val base = modelName(serializer.table) + "Request"
                register(key, if (partial) "Patched$base" else base) { tableRequest(serializer, partial) }
            }
            is TypedRequestSerializer<*> -> {
                val descriptor = serializer.serializer.descriptor
                if (!partial) return descriptor(descriptor)
                register(key, "Patched" + className(descriptor)) { withoutRequired(classSchema(descriptor)) }
            }
            else -> register(key, "ItemRequest") {
                Js.obj("type" to "object", "properties" to serializer.writableFieldNames.associateWith { Js.obj() })
            }
        }
        return ref(name)
    }

    private fun tableResponse(serializer: TableSerializer, postFetches: List<PostFetch>): JsonObject {
        val meta = FieldMetadata.describe(serializer)
        val properties = LinkedHashMap<String, JsonElement>()
        for (field in serializer.fields) {
            if (field.writeOnly) continue // never in a response schema
            val schema = fieldSchema(field, meta[field.name] as? JsonObject)
            properties[field.name] = if (field.readOnly) JsonObject(schema + ("readOnly" to JsonPrimitive(true))) else schema
        }
        for ((name, _) in serializer.computed) properties[name] = Js.obj("readOnly" to true)
        val base = Js.obj("type" to "object", "properties" to JsonObject(properties), "required" to properties.keys.toList())
        return withAttached(base, postFetches)
    }

    private fun tableRequest(serializer: TableSerializer, partial: Boolean): JsonObject {
        val meta = FieldMetadata.describe(serializer)
        val properties = LinkedHashMap<String, JsonElement>()
        val required = mutableListOf<String>()
        for (field in serializer.fields) {
            if (field.readOnly) continue
            val schema = fieldSchema(field, meta[field.name] as? JsonObject)
            properties[field.name] = if (field.writeOnly) JsonObject(schema + ("writeOnly" to JsonPrimitive(true))) else schema
            if (!partial && field.isRequired) required += field.name
        }
        return Js.obj(
            "type" to "object", "properties" to JsonObject(properties),
            "required" to required.takeIf { it.isNotEmpty() },
            "additionalProperties" to if (serializer.strict) false else null,
        )
    }

    private fun withAttached(schema: JsonObject, postFetches: List<PostFetch>): JsonObject {
        if (postFetches.isEmpty()) return schema
        val properties = LinkedHashMap((schema["properties"] as? JsonObject).orEmpty())
        val required = (schema["required"] as? JsonArray).orEmpty().toMutableList()
        for (pf in postFetches) {
            val item = Js.obj(
                "type" to "object",
                "properties" to JsonObject(pf.values.associate { SerializerField.defaultName(it) to columnSchema(it) }),
                "required" to pf.values.map { SerializerField.defaultName(it) },
            )
            properties[pf.attachAs] = JsonObject(
                (if (pf.limit == 1) Js.nullable(item) else Js.obj("type" to "array", "items" to item)) +
                    ("readOnly" to JsonPrimitive(true)),
            )
            required += JsonPrimitive(pf.attachAs)
        }
        return JsonObject(schema + mapOf("properties" to JsonObject(properties), "required" to JsonArray(required)))
    }

    private fun withoutRequired(schema: JsonObject): JsonObject = JsonObject(schema - "required")

    /** A serializer field: the column's type and format, with the rules' limits and choices from [FieldMetadata]. */
    private fun fieldSchema(field: SerializerField, meta: JsonObject?): JsonObject {
        val base = LinkedHashMap(columnSchema(field.column, nullable = false))
        val numeric = base["type"].let { it is JsonPrimitive && it.content in setOf("integer", "number") }
        fun hint(name: String) = meta?.get(name) as? JsonPrimitive
        hint("min_length")?.let { base["minLength"] = it }
        hint("max_length")?.let { base["maxLength"] = it }
        if (numeric) {
            hint("min_value")?.let { base["minimum"] = it }
            hint("max_value")?.let { base["maximum"] = it }
        } else if (base["format"] == JsonPrimitive("decimal")) {
            hint("min_value")?.let { base["description"] = JsonPrimitive("At least ${it.content}.") }
        }
        (meta?.get("choices") as? JsonArray)?.let { choices ->
            base["enum"] = JsonArray(choices.map { (it as JsonObject).getValue("value") })
        }
        val schema = JsonObject(base)
        return if (field.column.columnType.nullable) Js.nullable(schema) else schema
    }

    /** The JSON schema of the values a column renders (references as the referenced id). */
    fun columnSchema(column: Column<*>, nullable: Boolean = column.columnType.nullable): JsonObject {
        val schema = typeSchema(JsonColumnCodec.unwrap(column.columnType))
        return if (nullable) Js.nullable(schema) else schema
    }

    private fun typeSchema(type: IColumnType<*>): JsonObject = when (type) {
        is EntityIDColumnType<*> -> typeSchema(JsonColumnCodec.unwrap(type.idColumn.columnType))
        is IntegerColumnType, is ShortColumnType, is ByteColumnType -> Js.obj("type" to "integer", "format" to "int32")
        is LongColumnType -> Js.obj("type" to "integer", "format" to "int64")
        is DecimalColumnType -> Js.obj(
            "type" to "string", "format" to "decimal",
            "pattern" to "^-?\\d{0,${type.precision - type.scale}}(?:\\.\\d{0,${type.scale}})?$",
        )
        is DoubleColumnType -> Js.obj("type" to "number", "format" to "double")
        is FloatColumnType -> Js.obj("type" to "number", "format" to "float")
        is BooleanColumnType -> Js.obj("type" to "boolean")
        is EnumerationNameColumnType<*> -> Js.obj("type" to "string", "enum" to type.klass.java.enumConstants.map { it.name })
        is EnumerationColumnType<*> -> Js.obj("type" to "string", "enum" to type.klass.java.enumConstants.map { it.name })
        is VarCharColumnType -> Js.obj("type" to "string", "maxLength" to type.colLength)
        is CharColumnType -> Js.obj("type" to "string", "maxLength" to type.colLength)
        is StringColumnType -> Js.obj("type" to "string")
        is BasicUuidColumnType<*> -> Js.obj("type" to "string", "format" to "uuid")
        is ArrayColumnType<*, *> -> Js.obj("type" to "array", "items" to typeSchema(JsonColumnCodec.unwrap(type.delegate)))
        is IDateColumnType -> Js.obj("type" to "string", "format" to if (type.hasTimePart) "date-time" else "date")
        else -> Js.obj()
    }

    // ---- kotlinx-serialization descriptors -------------------------------------------------------------------------

    /** The schema of values described by [descriptor]; classes become components. */
    @OptIn(ExperimentalSerializationApi::class)
    fun descriptor(descriptor: SerialDescriptor): JsonObject {
        var d = descriptor
        while (d.isInline) d = d.getElementDescriptor(0)
        val serialName = d.serialName.removeSuffix("?")
        val schema = when {
            serialName.endsWith("Instant") || serialName.endsWith("LocalDateTime") || serialName.endsWith("OffsetDateTime") ->
                Js.obj("type" to "string", "format" to "date-time")
            serialName.endsWith("LocalDate") -> Js.obj("type" to "string", "format" to "date")
            serialName.endsWith("Uuid") || serialName.endsWith("UUID") -> Js.obj("type" to "string", "format" to "uuid")
            serialName.endsWith("BigDecimal") -> Js.obj("type" to "string", "format" to "decimal")
            else -> when (d.kind) {
                PrimitiveKind.INT, PrimitiveKind.SHORT, PrimitiveKind.BYTE -> Js.obj("type" to "integer", "format" to "int32")
                PrimitiveKind.LONG -> Js.obj("type" to "integer", "format" to "int64")
                PrimitiveKind.FLOAT -> Js.obj("type" to "number", "format" to "float")
                PrimitiveKind.DOUBLE -> Js.obj("type" to "number", "format" to "double")
                PrimitiveKind.BOOLEAN -> Js.obj("type" to "boolean")
                PrimitiveKind.STRING, PrimitiveKind.CHAR -> Js.obj("type" to "string")
                SerialKind.ENUM -> Js.obj("type" to "string", "enum" to (0 until d.elementsCount).map(d::getElementName))
                StructureKind.LIST -> Js.obj("type" to "array", "items" to descriptor(d.getElementDescriptor(0)))
                StructureKind.MAP -> Js.obj("type" to "object", "additionalProperties" to descriptor(d.getElementDescriptor(1)))
                StructureKind.CLASS -> ref(register(listOf("class", serialName), className(d)) { classSchema(d) })
                StructureKind.OBJECT -> Js.obj("type" to "object")
                else -> Js.obj()
            }
        }
        return if (d.isNullable || descriptor.isNullable) Js.nullable(schema) else schema
    }

    @OptIn(ExperimentalSerializationApi::class)
    private fun classSchema(d: SerialDescriptor): JsonObject {
        val properties = LinkedHashMap<String, JsonElement>()
        val required = mutableListOf<String>()
        for (i in 0 until d.elementsCount) {
            val name = d.getElementName(i)
            properties[name] = descriptor(d.getElementDescriptor(i))
            if (!d.isElementOptional(i)) required += name
        }
        return Js.obj("type" to "object", "properties" to JsonObject(properties), "required" to required.takeIf { it.isNotEmpty() })
    }

    // ---- envelopes ------------------------------------------------------------------------------------------------

    /** The page envelope of [shape] around [item] (a schema reference or inline schema). */
    fun page(shape: PageShape, item: JsonObject): JsonObject {
        val itemName = (item["\$ref"] as? JsonPrimitive)?.content?.substringAfterLast('/') ?: "Item"
        val (prefix, keys) = when (shape) {
            PageShape.COUNTED -> "Paginated" to listOf("count", "next", "previous", "results")
            PageShape.FAST -> "FastPaginated" to listOf("results", "next", "previous")
            PageShape.CURSOR -> "CursorPaginated" to listOf("next", "previous", "results")
        }
        val name = register(listOf("page", shape, item), "$prefix${itemName}List") {
            val link = Js.obj("type" to listOf("string", "null"), "format" to "uri")
            val properties = keys.associateWith { key ->
                when (key) {
                    "count" -> Js.obj("type" to "integer", "format" to "int64", "minimum" to 0, "example" to 123)
                    "results" -> Js.obj("type" to "array", "items" to item)
                    else -> link
                }
            }
            Js.obj("type" to "object", "required" to keys, "properties" to properties)
        }
        return ref(name)
    }

    companion object {
        /** `products` → `Product`, `categories` → `Category`, `order_items` → `OrderItem`. */
        fun modelName(table: Table): String {
            val pascal = table.tableName.substringAfterLast('.').trim('"', '`')
                .split('_', '-', ' ').filter { it.isNotEmpty() }
                .joinToString("") { part -> part.lowercase().replaceFirstChar { it.uppercaseChar() } }
                .ifEmpty { "Item" }
            return when {
                pascal.endsWith("ies") && pascal.length > 4 -> pascal.dropLast(3) + "y"
                pascal.endsWith("ses") || pascal.endsWith("xes") -> pascal.dropLast(2)
                pascal.endsWith("s") && !pascal.endsWith("ss") && pascal.length > 3 -> pascal.dropLast(1)
                else -> pascal
            }
        }

        fun className(d: SerialDescriptor): String =
            d.serialName.removeSuffix("?").substringAfterLast('.').filter { it.isLetterOrDigit() || it == '_' }.ifEmpty { "Item" }
    }
}
