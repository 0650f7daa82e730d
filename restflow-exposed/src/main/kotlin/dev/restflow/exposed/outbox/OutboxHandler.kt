package dev.restflow.exposed.outbox

/**
 * A blocking handler for outbox payloads, the Java-friendly form of `suspend (String) -> Unit`.
 *
 * Called by an [OutboxRelay] on its worker thread, outside any transaction, once per delivery of a row. Delivery is
 * at least once: a crash or a lease that runs out before the row is marked done delivers it again, so the handler
 * must be idempotent (invalidating a cache entry twice is harmless). Throwing marks the attempt failed; the row is
 * retried with backoff and parked as dead after the relay's maximum number of attempts.
 */
public fun interface OutboxHandler {
    /** Handles one [payload]; throws to have it retried. */
    public fun handle(payload: String)
}
