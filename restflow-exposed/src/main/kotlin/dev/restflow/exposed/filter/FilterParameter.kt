package dev.restflow.exposed.filter

/**
 * The description of one query parameter a [FilterSet] accepts, for OpenAPI documents and help pages.
 *
 * Schema words follow OpenAPI 3.1: [type] is `string`, `integer`, `number`, `boolean` or `array`; for an array the
 * element schema is in [itemType]/[itemFormat]/[enumValues], and the parameter is sent as [style] `form`,
 * [explode] `false` (`?id__in=1,2,3`; repeats are accepted too). Immutable.
 */
public class FilterParameter internal constructor(
    /** The parameter name, e.g. `price__gte` or `price__gte!`. */
    public val name: String,
    /** The OpenAPI type of the parameter. */
    public val type: String,
    /** The OpenAPI format (`int32`, `int64`, `decimal`, `double`, `date`, `date-time`, `time`, `duration`, `uuid`), or `null`. */
    public val format: String?,
    /** For an array, the element type; otherwise `null`. */
    public val itemType: String?,
    /** For an array, the element format; otherwise `null`. */
    public val itemFormat: String?,
    /** The allowed values (of the parameter, or of its elements for an array), or `null` when any value goes. */
    public val enumValues: List<String>?,
    /** A sentence such as "price is greater than or equal to" or "exclude where price is greater than or equal to". */
    public val description: String,
    /** Whether a request without this parameter fails with "This field is required.". */
    public val required: Boolean,
    /** The field (or method filter, or ordering parameter) this parameter belongs to, e.g. `price`. */
    public val field: String,
    /** The lookup name (`gte`), or `null` for a base parameter, a method filter or the ordering parameter. */
    public val lookup: String?,
    /** Whether this is a `!` negation twin. */
    public val negated: Boolean,
) {
    /** Whether the parameter takes a list. */
    public val isArray: Boolean get() = type == "array"

    /** The OpenAPI serialization style: `form`. */
    public val style: String get() = "form"

    /** The OpenAPI `explode` flag: `false` for arrays (comma-separated), `true` otherwise. */
    public val explode: Boolean get() = !isArray

    override fun toString(): String = "FilterParameter($name: $type${format?.let { "/$it" } ?: ""}" +
        "${itemType?.let { " of $it" } ?: ""}, \"$description\")"
}
