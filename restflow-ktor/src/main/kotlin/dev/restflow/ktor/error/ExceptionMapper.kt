package dev.restflow.ktor.error

/**
 * Turns an application exception into the [ApiException] answered to the client.
 *
 * Registered in the install block: `errors { exception<OutOfStock> { ApiException.conflict(it.message) } }`, or
 * from Java `errors.exception(OutOfStock.class, e -> ApiException.conflict(e.getMessage()))`. Return `null` to let
 * the next, less specific mapping (and finally the 500 handler) deal with it. Runs on the call's coroutine; an
 * exception thrown by the mapper itself becomes a 500.
 */
public fun interface ExceptionMapper<in T : Throwable> {
    /** The error for [cause], or `null` to decline. */
    public fun map(cause: T): ApiException?
}
