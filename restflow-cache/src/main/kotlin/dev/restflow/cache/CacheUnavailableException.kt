package dev.restflow.cache

/**
 * Thrown by a [CacheBackend] when its store cannot answer: Redis is down, a command timed out, or the circuit
 * breaker is open. Cached functions catch it on their read path and serve the loader's result instead.
 */
public class CacheUnavailableException(message: String, cause: Throwable? = null) : RuntimeException(message, cause)
