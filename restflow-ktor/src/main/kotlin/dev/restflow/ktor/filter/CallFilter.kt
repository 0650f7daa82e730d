package dev.restflow.ktor.filter

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
