package dev.restflow.ktor.serializer

import dev.restflow.ktor.error.ApiException

/**
 * Collects validation messages keyed by field name, nested where a field is itself an object or a list (list
 * items are keyed by their index, as DRF does), for the `details` of a 400 `validation_error`.
 *
 * Used by serializers and by custom checks (`validate { data, errors -> … }`). Not thread-safe: one per validation.
 */
public class FieldErrors {
    private val errors = LinkedHashMap<String, Any>()

    /** Adds [message] to [field]'s list of messages. */
    public fun add(field: String, message: String) {
        @Suppress("UNCHECKED_CAST")
        val list = errors.getOrPut(field) { mutableListOf<String>() } as? MutableList<String>
        if (list != null) list += message else errors[field] = mutableListOf(message)
    }

    /** Adds a message about the whole object, under `non_field_errors` (DRF's key). */
    public fun addNonField(message: String): Unit = add(NON_FIELD_ERRORS, message)

    /** Records the errors of a nested object or list under [field]; nothing when [nested] is empty. */
    public fun nest(field: String, nested: FieldErrors) {
        if (nested.isNotEmpty()) errors[field] = nested.toMap()
    }

    /** Whether [field] already has an error. */
    public fun has(field: String): Boolean = field in errors

    /** Whether nothing was recorded. */
    public fun isEmpty(): Boolean = errors.isEmpty()

    /** Whether something was recorded. */
    public fun isNotEmpty(): Boolean = errors.isNotEmpty()

    /** The errors as nested maps and lists, in the order recorded. */
    public fun toMap(): Map<String, Any> = errors.mapValues { (_, v) -> if (v is MutableList<*>) v.toList() else v }

    /** Throws 400 `validation_error` with these errors as details when any were recorded. */
    public fun throwIfAny() {
        if (isNotEmpty()) throw ApiException.validation(toMap())
    }

    public companion object {
        /** DRF's key for errors about the object as a whole. */
        public const val NON_FIELD_ERRORS: String = "non_field_errors"
    }
}
