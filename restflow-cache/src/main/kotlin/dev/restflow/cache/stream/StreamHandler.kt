package dev.restflow.cache.stream

/**
 * A blocking handler for stream payloads, the Java-friendly form of `suspend (String) -> Unit`.
 *
 * Called by a [RedisStreamWorker] on an IO thread, one entry at a time. Delivery is at least once (a worker that
 * dies after the handler and before `XACK` has its entry delivered again), so handlers must be idempotent. Throwing
 * marks the delivery failed: it is retried with backoff and dead-lettered after the worker's maximum deliveries.
 * The thread is interrupted when the worker is abandoned without a graceful stop.
 */
public fun interface StreamHandler {
    /** Handles one [payload]; throws to have it retried. */
    public fun handle(payload: String)
}
