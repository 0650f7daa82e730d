package dev.restflow.exposed.invalidation

import dev.restflow.cache.CacheBackend
import dev.restflow.exposed.change.ChangeFeed
import dev.restflow.exposed.change.TableChange
import kotlinx.coroutines.runBlocking
import org.jetbrains.exposed.v1.jdbc.Database
import org.slf4j.LoggerFactory

/**
 * Applies [rules] to the commits on [database] (every database when `null`): after each outermost commit, on the
 * committing thread (the inline dispatcher), it deletes the stale partitions and namespaces from [backend] before
 * the committing call returns, so the writer's next read misses. Close it to stop.
 *
 * A backend failure is logged and does not fail the (already committed) write; entries then expire by TTL.
 */
public class Invalidator(
    private val backend: CacheBackend,
    rules: List<InvalidationRule>,
    database: Database? = null,
) : AutoCloseable {
    init {
        // Before subscribing: a rejected invalidator must leave no listener behind.
        val names = rules.map { it.name }
        require(names.toSet().size == names.size) { "Rule names must be unique: $names" }
    }

    private val log = LoggerFactory.getLogger(Invalidator::class.java)
    private val byTable = rules.groupBy { it.table }
    private val subscription = ChangeFeed.subscribe(database) { _, changes -> apply(changes) }

    private fun apply(changes: List<TableChange>) {
        val namespaces = LinkedHashSet<String>()
        val partitions = LinkedHashMap<String, MutableSet<String>>()
        for (change in changes) {
            for (rule in byTable[change.table].orEmpty()) {
                when (val t = rule.targetsOf(change) ?: continue) {
                    InvalidationRule.Targets.Namespace -> namespaces += rule.namespace
                    is InvalidationRule.Targets.Partitions -> partitions.getOrPut(rule.namespace) { LinkedHashSet() } += t.values
                }
            }
        }
        if (namespaces.isEmpty() && partitions.isEmpty()) return
        try {
            runBlocking {
                for (ns in namespaces) backend.deleteNamespace(ns)
                for ((ns, values) in partitions) if (ns !in namespaces) for (p in values) backend.deletePartition(ns, p)
            }
        } catch (e: Exception) {
            log.error("Invalidation after commit failed (namespaces {}, partitions {}); entries expire by TTL", namespaces, partitions, e)
        }
    }

    override fun close() {
        subscription.close()
    }
}
