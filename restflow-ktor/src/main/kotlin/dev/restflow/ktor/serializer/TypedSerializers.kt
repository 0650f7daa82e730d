package dev.restflow.ktor.serializer

import dev.restflow.RestflowDsl
import dev.restflow.ktor.error.ApiException
import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.serializer
import org.jetbrains.exposed.v1.core.ResultRow

/** The JSON configuration typed serializers use: explicit nulls kept, unknown keys handled by the serializer's strictness. */
internal val TypedJson: Json = Json {
    ignoreUnknownKeys = true
    encodeDefaults = true
}

/**
 * A response serializer for a `@Serializable` class [T]: [read] maps each row to a [T], which is encoded with
 * kotlinx.serialization. Attached values (PostFetch) are added to the object under their names.
 */
public class TypedResponseSerializer<T> @PublishedApi internal constructor(
    internal val serializer: KSerializer<T>,
    private val read: (ResultRow) -> T,
) : ResponseSerializer {
    override val fieldNames: List<String> =
        (0 until serializer.descriptor.elementsCount).map(serializer.descriptor::getElementName)

    override fun serialize(row: ResultRow, attached: Map<String, JsonElement>): JsonElement {
        val encoded = TypedJson.encodeToJsonElement(serializer, read(row))
        return if (attached.isEmpty() || encoded !is JsonObject) encoded else JsonObject(encoded + attached)
    }
}

/** `responseSerializer<ProductOut> { row -> ProductOut(row[Products.id].value, row[Products.name]) }`. */
public inline fun <reified T> responseSerializer(noinline read: (ResultRow) -> T): TypedResponseSerializer<T> =
    TypedResponseSerializer(serializer<T>(), read)

/**
 * A request serializer for a `@Serializable` class [T]: the body is checked against [T]'s shape (types, required
 * properties, unknown keys in strict mode — reported per field with DRF's messages), decoded, validated by the
 * `validate` checks and mapped to column values by `write`.
 *
 * For `PATCH`, only the body's fields are required to be valid; [T]'s properties that may be absent need defaults,
 * and `write` sees [ValidatedData.provided] to write only what was sent.
 */
public class TypedRequestSerializer<T> @PublishedApi internal constructor(
    internal val serializer: KSerializer<T>,
    private val config: TypedRequestBuilder<T>,
) : RequestSerializer {
    override val writableFieldNames: List<String> =
        (0 until serializer.descriptor.elementsCount).map(serializer.descriptor::getElementName)

    override suspend fun deserialize(body: JsonElement, mode: WriteMode, instance: ResultRow?): ValidatedData {
        val obj = BodyShape.requireObject(body)
        val errors = FieldErrors()
        TypedBodyCheck.check(obj, serializer.descriptor, partial = mode == WriteMode.PARTIAL, strict = config.strict, errors = errors)
        errors.throwIfAny()
        val input = try {
            TypedJson.decodeFromJsonElement(serializer, obj)
        } catch (e: SerializationException) {
            throw ApiException.validation(mapOf(FieldErrors.NON_FIELD_ERRORS to listOf("Invalid data.")))
        } catch (e: IllegalArgumentException) {
            // init blocks of the request class (`require(...)`) report invalid combinations this way
            throw ApiException.validation(mapOf(FieldErrors.NON_FIELD_ERRORS to listOf(e.message?.take(200) ?: "Invalid data.")))
        }
        for (check in config.checks) check(input, errors)
        errors.throwIfAny()
        val data = ValidatedData(emptyMap(), input, obj.keys)
        config.writer(input, data)
        return data
    }
}

/** Configures a [TypedRequestSerializer]. */
@RestflowDsl
public class TypedRequestBuilder<T> @PublishedApi internal constructor() {
    internal val checks = mutableListOf<suspend (T, FieldErrors) -> Unit>()
    internal var writer: (T, ValidatedData) -> Unit = { _, _ -> }

    /** Whether unknown fields in a body are rejected (default `true`, R-14). */
    public var strict: Boolean = true

    /** A check of the decoded body: record problems in the [FieldErrors] under field names. May query the database. */
    public fun validate(check: suspend (input: T, errors: FieldErrors) -> Unit) {
        checks += check
    }

    /** Maps the decoded body to column values: `write { input, data -> data[Products.name] = input.name }`. */
    public fun write(writer: (input: T, data: ValidatedData) -> Unit) {
        this.writer = writer
    }
}

/** `requestSerializer<ProductIn> { validate { … }; write { input, data -> … } }`. */
public inline fun <reified T> requestSerializer(noinline block: TypedRequestBuilder<T>.() -> Unit): TypedRequestSerializer<T> =
    TypedRequestSerializer(serializer<T>(), TypedRequestBuilder<T>().apply(block))
