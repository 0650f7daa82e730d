package dev.restflow.ktor.serializer

import dev.restflow.RestflowDsl
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IdTable
import java.math.BigDecimal

/**
 * Validation rules of one field, declared in `validate(column) { … }`: each rule checks a present, non-null value and
 * adds DRF's message when it fails. Rules run in the order declared; all of them run, so a client sees every problem.
 *
 * Built once per serializer and immutable afterwards.
 */
@RestflowDsl
public class FieldRules<T> internal constructor() {
    internal val checks = mutableListOf<suspend (T) -> String?>()

    /** What the declared rules allow, for `OPTIONS` metadata: `min_length`, `max_length`, `min_value`, `max_value`, `decimal_places`, `choices`. */
    internal val hints = LinkedHashMap<String, Any>()

    /** The length of a string (characters) or list (elements) is within [range]. */
    public fun length(range: IntRange) {
        minLength(range.first)
        maxLength(range.last)
    }

    /** A string has at least [min] characters, a list at least [min] elements. */
    public fun minLength(min: Int) {
        hints["min_length"] = maxOf(min, hints["min_length"] as Int? ?: min)
        checks += { value ->
            when (value) {
                is CharSequence -> if (value.length < min) "Ensure this field has at least $min characters." else null
                is Collection<*> -> if (value.size < min) "Ensure this field has at least $min elements." else null
                else -> null
            }
        }
    }

    /** A string has at most [max] characters, a list at most [max] elements. */
    public fun maxLength(max: Int) {
        hints["max_length"] = minOf(max, hints["max_length"] as Int? ?: max)
        checks += { value ->
            when (value) {
                is CharSequence -> if (value.length > max) "Ensure this field has no more than $max characters." else null
                is Collection<*> -> if (value.size > max) "Ensure this field has no more than $max elements." else null
                else -> null
            }
        }
    }

    /** A number is at least [min]. */
    public fun min(min: Number) {
        val bound = decimalOf(min)
        hints["min_value"] = min
        checks += { value ->
            decimalOf(value)?.let { if (it < bound) "Ensure this value is greater than or equal to ${min}." else null }
        }
    }

    /** A number is at most [max]. */
    public fun max(max: Number) {
        val bound = decimalOf(max)
        hints["max_value"] = max
        checks += { value ->
            decimalOf(value)?.let { if (it > bound) "Ensure this value is less than or equal to ${max}." else null }
        }
    }

    /** A decimal has at most [places] decimal places (`12.5` and `12.50` pass `scale(2)`, `12.505` does not). */
    public fun scale(places: Int) {
        hints["decimal_places"] = places
        checks += { value ->
            val decimal = decimalOf(value)
            if (decimal != null && decimal.stripTrailingZeros().scale() > places) {
                "Ensure that there are no more than $places decimal places."
            } else {
                null
            }
        }
    }

    /** The value is one of [choices]. */
    public fun oneOf(vararg choices: T) {
        val allowed = choices.toSet()
        hints["choices"] = choices.toList()
        checks += { value -> if (value in allowed) null else "\"${display(value)}\" is not a valid choice." }
    }

    /** The value is the id of an existing row of [table] (queries the database). */
    public fun exists(table: IdTable<*>) {
        checks += { value ->
            @Suppress("UNCHECKED_CAST")
            val t = table as IdTable<Comparable<Any>>
            @Suppress("UNCHECKED_CAST")
            val id = (value as? EntityID<Comparable<Any>>) ?: EntityID(value as Comparable<Any>, t)
            val found = ReferenceLookup.exists(t, id)
            if (found) null else "Invalid pk \"${display(value)}\" - object does not exist."
        }
    }

    /** A custom rule: [message] unless [predicate] holds for the value. */
    public fun check(message: String, predicate: (T) -> Boolean) {
        checks += { value -> if (predicate(value)) null else message }
    }

    /** A custom rule that may suspend (e.g. query the database): returns the error message, or `null` when valid. */
    public fun checkWith(rule: suspend (T) -> String?) {
        checks += rule
    }

    internal suspend fun run(value: T): List<String> = checks.mapNotNull { it(value) }

    private companion object {
        fun decimalOf(value: Any?): BigDecimal? = when (value) {
            is BigDecimal -> value
            is Int, is Long, is Short, is Byte -> BigDecimal.valueOf((value as Number).toLong())
            is Double -> if (value.isFinite()) BigDecimal.valueOf(value) else null
            is Float -> if (value.isFinite()) BigDecimal(value.toString()) else null
            is Number -> value.toString().toBigDecimalOrNull()
            else -> null
        }

        fun display(value: Any?): String = when (value) {
            is EntityID<*> -> value.value.toString()
            is Enum<*> -> value.name
            else -> value.toString()
        }.take(100)
    }
}
