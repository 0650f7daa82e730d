package dev.restflow.exposed.filter

/**
 * Thrown by [FilterSet.apply] when query parameters fail validation.
 *
 * [errors] is keyed by the **parameter name** as the client sent it (`price__gte`, `category!`, `order_by`, or
 * `non_field_errors` for failures that belong to no single parameter), each with one or more messages worded as
 * drf-restflow words them (`"A valid integer is required."`). The Ktor binding answers it with 400
 * `validation_error` "Request validation failed." and [errors] as `details`.
 *
 * The message never contains user input beyond the parameter names, and no stack trace is meant for clients.
 */
public class FilterValidationException(
    /** Messages by parameter name, in the order the problems were found. */
    public val errors: Map<String, List<String>>,
) : RuntimeException("Request validation failed.") {
    override fun toString(): String = "FilterValidationException(errors=$errors)"
}
