package dev.restflow.exposed.filter

import kotlinx.datetime.toJavaLocalDate

/**
 * The value type of a method filter's parameter: how the raw string is parsed and validated, and how the parameter
 * is described (OpenAPI type and format).
 *
 * Immutable and shared; use the constants, [listOf] and [choices].
 */
public class FilterType<out V : Any> private constructor(
    internal val parser: ValueParser,
    internal val isList: Boolean,
) {
    override fun toString(): String = "FilterType(${parser.schemaType}${parser.schemaFormat?.let { "/$it" } ?: ""}${if (isList) ", list" else ""})"

    /** The built-in types. */
    public companion object {
        /** Any string, trimmed. */
        @JvmField public val STRING: FilterType<String> = FilterType(ValueParser.STRING, false)

        /** A 32-bit integer ("A valid integer is required."). */
        @JvmField public val INT: FilterType<Int> = FilterType(ValueParser.INT, false)

        /** A 64-bit integer. */
        @JvmField public val LONG: FilterType<Long> = FilterType(ValueParser.LONG, false)

        /** `true/false/1/0/t/f/on/off/yes/no`, any case ("Must be a valid boolean."). */
        @JvmField public val BOOLEAN: FilterType<Boolean> = FilterType(ValueParser.BOOLEAN, false)

        /** A decimal number, no exponent limits beyond the value length limit. */
        @JvmField public val DECIMAL: FilterType<java.math.BigDecimal> = FilterType(ValueParser.DECIMAL, false)

        /** A finite double. */
        @JvmField public val DOUBLE: FilterType<Double> = FilterType(ValueParser.DOUBLE, false)

        /** A UUID in its 36- or 32-character form. */
        @JvmField public val UUID: FilterType<java.util.UUID> = FilterType(ValueParser.JAVA_UUID, false)

        /** An ISO date, `2024-05-01`. */
        @JvmField public val LOCAL_DATE: FilterType<java.time.LocalDate> = FilterType(
            ValueParser.LOCAL_DATE.map { (it as kotlinx.datetime.LocalDate).toJavaLocalDate() }, false,
        )

        /** A list of [element] values, comma-separated and/or repeated (`?ids=1,2&ids=3`). */
        @JvmStatic
        public fun <E : Any> listOf(element: FilterType<E>): FilterType<List<E>> {
            require(!element.isList) { "Lists of lists are not supported" }
            return FilterType(element.parser, true)
        }

        /** A constant of the enum [type], by name; anything else is `"z" is not a valid choice.`. */
        @JvmStatic
        public fun <E : Enum<E>> enumOf(type: Class<E>): FilterType<E> =
            FilterType(ValueParser.choices(type.enumConstants.associateBy { it.name }), false)

        /** One of [values], matched exactly; anything else is `"z" is not a valid choice.`. */
        @JvmStatic
        public fun choices(vararg values: String): FilterType<String> =
            FilterType(ValueParser.choices(values.associateBy { it }), false)
    }
}

/** [FilterType.enumOf] for Kotlin: `method("status", FilterType.enumOf<Status>()) { s -> ... }`. */
public inline fun <reified E : Enum<E>> FilterType.Companion.enumOf(): FilterType<E> = FilterType.enumOf(E::class.java)
