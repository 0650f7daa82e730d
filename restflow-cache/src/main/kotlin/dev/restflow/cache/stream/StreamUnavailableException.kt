package dev.restflow.cache.stream

/**
 * Thrown when a Redis stream command fails: Redis unreachable, disconnected, or too slow (command timeout). The
 * payload of a failed [RedisStreamQueue.enqueue] was **not** recorded; the caller decides the fallback (retry,
 * write to an outbox, widen to a namespace flush, fail the request). Never swallowed by the queue.
 */
public class StreamUnavailableException(message: String, cause: Throwable?) : RuntimeException(message, cause)
