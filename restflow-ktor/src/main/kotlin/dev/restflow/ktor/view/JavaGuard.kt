package dev.restflow.ktor.view

import io.ktor.server.application.ApplicationCall

/**
 * Java: a blocking [Guard] — throw an [dev.restflow.ktor.error.ApiException] from [check] to refuse the call. It runs
 * on the request's coroutine, so it must be quick (no I/O).
 */
public fun interface JavaGuard {
    /** Refuses the call by throwing. */
    public fun check(call: ApplicationCall)

    /** This check as a [Guard]. */
    public fun toGuard(): Guard = object : Guard {
        override suspend fun check(call: ApplicationCall) = this@JavaGuard.check(call)
    }
}
