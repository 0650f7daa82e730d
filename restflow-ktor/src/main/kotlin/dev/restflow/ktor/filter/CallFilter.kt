package dev.restflow.ktor.filter

import dev.restflow.exposed.filter.FilterResult
import dev.restflow.exposed.filter.FilterSet
import io.ktor.server.application.ApplicationCall
import org.jetbrains.exposed.v1.jdbc.Query

/**
 * Applies [filterSet] to [query] with this call's query parameters (conditions, ordering, limits).
 *
 * Invalid parameters throw [dev.restflow.exposed.filter.FilterValidationException], which the `Restflow` plugin
 * answers as 400 `validation_error` with `details` keyed by parameter name. Call it inside a transaction.
 */
public fun ApplicationCall.filter(query: Query, filterSet: FilterSet): Query =
    filterSet.apply(query, request.queryParameters.entries().associate { (name, values) -> name to values })

/**
 * Validates this call's query parameters against [filterSet] without touching the database, so a handler can reject
 * bad parameters (400 `validation_error`) before it starts a streamed response; apply the result inside the
 * transaction with [FilterResult.Valid.applyTo].
 *
 * @throws dev.restflow.exposed.filter.FilterValidationException when a parameter is invalid.
 */
public fun ApplicationCall.parseFilters(filterSet: FilterSet): FilterResult.Valid =
    when (val result = filterSet.parse(request.queryParameters.entries().associate { (name, values) -> name to values })) {
        is FilterResult.Valid -> result
        is FilterResult.Invalid -> throw result.toException()
    }
