package dev.restflow.ktor.view

import io.ktor.server.application.ApplicationCall

/**
 * A check run before an action (throttles and permissions are guards): it throws an
 * [dev.restflow.ktor.error.ApiException] (401, 403, 429, ...) to refuse the call. [checkObject] runs for actions on
 * one row (retrieve, update, destroy, detail actions) with that row.
 */
public interface Guard {
    /** Refuses the call by throwing, or returns to let it through. */
    public suspend fun check(call: ApplicationCall)

    /** Refuses access to [obj] (a `ResultRow`) by throwing; lets it through by default. */
    public suspend fun checkObject(call: ApplicationCall, obj: Any) {}
}
