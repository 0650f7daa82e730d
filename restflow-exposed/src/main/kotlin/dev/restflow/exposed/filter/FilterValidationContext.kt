package dev.restflow.exposed.filter

/**
 * The parsed parameter values a [FilterValidator] sees, by parameter name (`price__gte`, `price!`).
 *
 * Values have the column's value type (`BigDecimal` for a decimal column, a `List` for `__in` and `__range`);
 * parameters that were absent or empty are missing. Not thread-safe; valid only during the validator call.
 */
public class FilterValidationContext internal constructor(
    private val values: Map<String, Any>,
    private val errors: MutableMap<String, MutableList<String>>,
) {
    /** The parsed value of [parameter], or `null` when it was not sent (or was empty). */
    public fun value(parameter: String): Any? = values[parameter]

    /** Whether [parameter] was sent with a non-empty value. */
    public fun has(parameter: String): Boolean = parameter in values

    /** Names of every parameter that was sent with a non-empty value. */
    public val parameters: Set<String> get() = values.keys

    /** Records a validation failure for [parameter] (or `non_field_errors`); the filter set fails afterwards. */
    public fun reject(parameter: String, message: String) {
        errors.getOrPut(parameter) { ArrayList(1) }.add(message)
    }
}
