package dev.restflow.exposed.invalidation

/**
 * Invalidation work failed and its rule (or dispatcher, or registry) says to raise. Thrown to the committing caller by
 * the inline dispatcher: **the write has already committed**; only the cache is possibly stale (until its TTL).
 */
public class InvalidationException(
    message: String,
    /** The names of the rules whose work failed. */
    public val rules: List<String>,
    cause: Throwable?,
) : RuntimeException(message, cause)
