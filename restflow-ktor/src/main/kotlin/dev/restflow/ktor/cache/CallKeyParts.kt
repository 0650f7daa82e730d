package dev.restflow.ktor.cache

import dev.restflow.cache.key.CacheKeyBuilder
import io.ktor.server.application.ApplicationCall
import io.ktor.util.toMap

// Named shortcuts for request-shaped key parts, for cached functions whose arguments are the call:
// cacheKey<ApplicationCall>("products") { partition("id") { it.parameters["id"] }; queryParams("page"); principal() }

/**
 * The call's query parameters as one suffix part named `query`: sorted by name and each name's values sorted, so
 * `?a=1&b=2` and `?b=2&a=1` share an entry. With [names], only those parameters count (others, such as tracking
 * parameters, are ignored).
 */
public fun CacheKeyBuilder<ApplicationCall>.queryParams(vararg names: String): CacheKeyBuilder<ApplicationCall> =
    params("query", names.takeIf { it.isNotEmpty() }?.toList()) { call -> call.request.queryParameters.toMap() }

/**
 * The values of request header [name] as a suffix part named `header:<name, lower case>`; several values are
 * sorted. A missing header is a distinct value, never equal to an empty one.
 */
public fun CacheKeyBuilder<ApplicationCall>.header(name: String): CacheKeyBuilder<ApplicationCall> {
    require(name.isNotBlank()) { "a header name must not be blank" }
    return multi("header:" + name.lowercase()) { call ->
        call.request.headers.getAll(name) ?: listOf(null)
    }
}

/**
 * The authenticated principal as a suffix part named `principal`, so two users never share an entry: a
 * Restflow user by id, a Ktor `UserIdPrincipal` by name; anonymous calls share the `null` value.
 */
public fun CacheKeyBuilder<ApplicationCall>.principal(): CacheKeyBuilder<ApplicationCall> =
    part("principal") { call -> principalId(call) }

/** The path parameter [name] (`/products/{id}`) as a suffix part of the same name. */
public fun CacheKeyBuilder<ApplicationCall>.pathParam(name: String): CacheKeyBuilder<ApplicationCall> =
    part(name) { call -> call.parameters[name] }
