package dev.restflow.ktor.view

import dev.restflow.ktor.serializer.ValidatedData
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.dao.Entity
import org.jetbrains.exposed.v1.dao.EntityClass

/**
 * The writes of a viewset over a DAO [EntityClass]: create, update and destroy go through the entity (`new`,
 * property writes, `flush`, `delete`), so Exposed's `EntityHook` sees them and the entity cache stays coherent;
 * reads stay the table viewset's queries. Every call runs inside the write's transaction.
 */
internal class EntityWrites(entityClass: EntityClass<*, *>) {
    @Suppress("UNCHECKED_CAST")
    private val entities = entityClass as EntityClass<Any, Entity<Any>>

    /** Inserts [data] as a new entity and flushes it. */
    fun create(data: ValidatedData): Entity<*> = entities.new { assign(this, data) }.also { it.flush() }

    /** The entity of [row] (a full row of the table, as the viewset's query found it). */
    fun entityOf(row: ResultRow): Entity<*> = entities.wrapRow(row)

    /** Writes [data] into [entity] and flushes it. */
    @Suppress("UNCHECKED_CAST")
    fun update(entity: Entity<*>, data: ValidatedData) {
        assign(entity as Entity<Any>, data)
        entity.flush()
    }

    fun delete(entity: Entity<*>) {
        entity.delete()
    }

    @Suppress("UNCHECKED_CAST")
    private fun assign(entity: Entity<Any>, data: ValidatedData) {
        for (column in data.columns) {
            val c = column as Column<Any?>
            with(entity) { c.setValue(entity, WRITTEN, data[c]) }
        }
    }

    private companion object {
        /** Column delegates of an entity take a property only to name it; writes through the API come from no property. */
        var written: Any? = null
        val WRITTEN = ::written
    }
}
