package dev.restflow.cache.redis

/**
 * Invalidations that could not reach Redis (down, hung, breaker open), kept to be replayed once it answers again
 * . Bounded: at most [limit] key and partition records; past it, the namespace holding the most of them is
 * widened to a namespace flush, which covers them all. Namespace flushes themselves are never dropped (an
 * application has a fixed, small set of namespaces), so nothing recorded is ever lost. Not thread-safe: the owner
 * guards it with a lock.
 */
internal class PendingInvalidations(private val limit: Int, private val onWiden: () -> Unit) {
    /** What is pending for one namespace: a flush, or some partitions and keys. */
    class Namespace {
        var flush: Boolean = false
        val partitions: MutableSet<String> = LinkedHashSet()
        val keys: MutableSet<KeyRecord> = LinkedHashSet()

        val records: Int get() = partitions.size + keys.size
    }

    /** A key delete: the id and partition of a [dev.restflow.cache.CacheEntryKey]. */
    data class KeyRecord(val id: String, val partition: String)

    val namespaces: MutableMap<String, Namespace> = LinkedHashMap()

    /** Key and partition records held, the figure [limit] bounds. */
    var records: Int = 0
        private set

    val isEmpty: Boolean get() = namespaces.isEmpty()

    /** Every pending item: namespace flushes, partitions and keys. */
    val size: Int get() = namespaces.values.count { it.flush } + records

    fun addKey(namespace: String, id: String, partition: String) {
        val pending = namespaces.getOrPut(namespace) { Namespace() }
        if (pending.flush) return
        if (pending.keys.add(KeyRecord(id, partition))) records++
        bound()
    }

    fun addPartition(namespace: String, partition: String) {
        val pending = namespaces.getOrPut(namespace) { Namespace() }
        if (pending.flush) return
        if (pending.partitions.add(partition)) records++
        bound()
    }

    fun addNamespace(namespace: String) {
        val pending = namespaces.getOrPut(namespace) { Namespace() }
        flush(pending)
    }

    /** Adds everything of [other] (a batch whose replay failed). */
    fun addAll(other: PendingInvalidations) {
        for ((name, pending) in other.namespaces) {
            if (pending.flush) {
                addNamespace(name)
                continue
            }
            pending.partitions.forEach { addPartition(name, it) }
            pending.keys.forEach { addKey(name, it.id, it.partition) }
        }
    }

    private fun flush(pending: Namespace) {
        records -= pending.records
        pending.partitions.clear()
        pending.keys.clear()
        pending.flush = true
    }

    private fun bound() {
        while (records > limit) {
            val widest = namespaces.values.filter { !it.flush }.maxByOrNull { it.records } ?: return
            flush(widest)
            onWiden()
        }
    }
}
