package dev.restflow.ktor.view

import dev.restflow.ktor.serializer.JsonColumnCodec
import dev.restflow.ktor.serializer.RequestSerializer
import dev.restflow.ktor.serializer.SerializerField
import dev.restflow.ktor.serializer.TableSerializer
import dev.restflow.ktor.serializer.TypedRequestSerializer
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
import org.jetbrains.exposed.v1.core.CharColumnType
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

/**
 * The field descriptions of DRF's `SimpleMetadata` for `OPTIONS`: per field its `type`, `required`, `read_only`,
 * `label` and, where known, `min_length`/`max_length`, `min_value`/`max_value`, `max_digits`/`decimal_places` and
 * `choices` — from a table serializer's columns and rules, or a typed serializer's class descriptor.
 */
internal object FieldMetadata {
    fun describe(serializer: RequestSerializer): JsonObject = when (serializer) {
        is TableSerializer -> describeTable(serializer)
        is TypedRequestSerializer<*> -> describeDescriptor(serializer.serializer.descriptor)
        else -> JsonObject(serializer.writableFieldNames.associateWith { info("field", required = false, readOnly = false, name = it) })
    }

    private fun describeTable(serializer: TableSerializer): JsonObject {
        val out = LinkedHashMap<String, JsonElement>()
        for (field in serializer.fields) out[field.name] = column(field)
        for ((name, _) in serializer.computed) out[name] = info("field", required = false, readOnly = true, name = name)
        return JsonObject(out)
    }

    private fun column(field: SerializerField): JsonObject {
        val column = field.column
        val type = JsonColumnCodec.unwrap(column.columnType)
        val hints = field.rules?.hints.orEmpty()
        val extra = LinkedHashMap<String, JsonElement>()
        if (field.writeOnly) extra["write_only"] = JsonPrimitive(true)
        hints["min_length"]?.let { extra["min_length"] = JsonPrimitive(it as Int) }
        val columnLength = when (type) {
            is VarCharColumnType -> type.colLength
            is CharColumnType -> type.colLength
            else -> null
        }
        listOfNotNull(columnLength, hints["max_length"] as Int?).minOrNull()?.let { extra["max_length"] = JsonPrimitive(it) }
        hints["min_value"]?.let { extra["min_value"] = JsonPrimitive(it as Number) }
        hints["max_value"]?.let { extra["max_value"] = JsonPrimitive(it as Number) }
        if (type is DecimalColumnType) {
            extra["max_digits"] = JsonPrimitive(type.precision)
            extra["decimal_places"] = JsonPrimitive(minOf(type.scale, hints["decimal_places"] as Int? ?: type.scale))
        }
        val declared = (hints["choices"] as List<*>?)?.map { JsonColumnCodec.encode(it, column.columnType) }
        val choices = declared ?: enumChoices(type)?.map { JsonPrimitive(it) }
        val kind = if (choices != null) "choice" else typeName(column, type)
        // DRF lists choices of writable fields only
        if (choices != null && !field.readOnly) {
            extra["choices"] = JsonArray(choices.map { choice(it) })
        }
        return info(kind, required = field.isRequired && !field.readOnly, readOnly = field.readOnly, name = field.name, extra = extra)
    }

    private fun typeName(column: Column<*>, type: IColumnType<*>): String = when (type) {
        is EntityIDColumnType<*> ->
            if (column.referee != null && column.referee != column) "field" else typeName(type.idColumn, JsonColumnCodec.unwrap(type.idColumn.columnType))
        is IntegerColumnType, is LongColumnType, is ShortColumnType, is ByteColumnType -> "integer"
        is DecimalColumnType -> "decimal"
        is DoubleColumnType, is FloatColumnType -> "float"
        is BooleanColumnType -> "boolean"
        is StringColumnType, is BasicUuidColumnType<*> -> "string"
        is ArrayColumnType<*, *> -> "list"
        is IDateColumnType -> if (type.hasTimePart) "datetime" else "date"
        else -> "field"
    }

    private fun enumChoices(type: IColumnType<*>): List<String>? = when (type) {
        is EnumerationNameColumnType<*> -> type.klass.java.enumConstants.map { it.name }
        is EnumerationColumnType<*> -> type.klass.java.enumConstants.map { it.name }
        else -> null
    }

    @OptIn(ExperimentalSerializationApi::class)
    private fun describeDescriptor(descriptor: SerialDescriptor): JsonObject = JsonObject(
        (0 until descriptor.elementsCount).associate { i ->
            val name = descriptor.getElementName(i)
            var element = descriptor.getElementDescriptor(i)
            while (element.isInline) element = element.getElementDescriptor(0)
            val extra = LinkedHashMap<String, JsonElement>()
            val kind = when (element.kind) {
                PrimitiveKind.INT, PrimitiveKind.LONG, PrimitiveKind.SHORT, PrimitiveKind.BYTE -> "integer"
                PrimitiveKind.FLOAT, PrimitiveKind.DOUBLE -> "float"
                PrimitiveKind.BOOLEAN -> "boolean"
                PrimitiveKind.STRING, PrimitiveKind.CHAR -> "string"
                SerialKind.ENUM -> {
                    extra["choices"] = JsonArray((0 until element.elementsCount).map { choice(JsonPrimitive(element.getElementName(it))) })
                    "choice"
                }
                StructureKind.LIST -> "list"
                StructureKind.CLASS, StructureKind.OBJECT, StructureKind.MAP -> "nested object"
                else -> "field"
            }
            if (element.kind == StructureKind.CLASS) extra["children"] = describeDescriptor(element)
            name to info(kind, required = !descriptor.isElementOptional(i), readOnly = false, name = name, extra = extra)
        },
    )

    private fun choice(value: JsonElement): JsonObject =
        JsonObject(mapOf("value" to value, "display_name" to JsonPrimitive((value as? JsonPrimitive)?.content ?: value.toString())))

    private fun info(type: String, required: Boolean, readOnly: Boolean, name: String, extra: Map<String, JsonElement> = emptyMap()): JsonObject =
        JsonObject(
            linkedMapOf<String, JsonElement>(
                "type" to JsonPrimitive(type),
                "required" to JsonPrimitive(required),
                "read_only" to JsonPrimitive(readOnly),
                "label" to JsonPrimitive(label(name)),
            ) + extra,
        )

    /** DRF's label: the field name with spaces, capitalised (`in_stock` → "In stock"). */
    fun label(name: String): String = name.replace('_', ' ').trim().replaceFirstChar { it.uppercaseChar() }
}
