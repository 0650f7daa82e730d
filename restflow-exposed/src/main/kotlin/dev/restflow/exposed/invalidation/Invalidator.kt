package dev.restflow.exposed.invalidation

import dev.restflow.cache.CacheBackend
import org.jetbrains.exposed.v1.jdbc.Database

/**
 * The simplest [InvalidationRegistry]: [rules] applied to the commits on [database] (every database when `null`)
 * with the default settings, so every rule that names no dispatcher runs inline: after each outermost commit, on
 * the committing thread, the stale partitions and namespaces are deleted from [backend] before the committing call
 * returns, and the writer's next read misses. Close it to stop.
 *
 * A backend failure is logged and does not fail the (already committed) write; entries then expire by TTL.
 */
public class Invalidator(
    backend: CacheBackend,
    rules: List<InvalidationRule>,
    database: Database? = null,
) : AutoCloseable {
    /** The registry behind it (status, awaitIdle). */
    public val registry: InvalidationRegistry = InvalidationRegistry.builder(backend, database).rules(rules).build()

    override fun close() {
        registry.close()
    }
}
