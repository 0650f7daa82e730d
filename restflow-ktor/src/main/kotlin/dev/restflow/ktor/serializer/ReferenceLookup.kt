package dev.restflow.ktor.serializer

import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IdTable
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.selectAll

/** Existence checks for referenced rows; must run inside a transaction. */
internal object ReferenceLookup {
    fun <ID : Comparable<ID>> exists(table: IdTable<ID>, id: EntityID<ID>): Boolean =
        !table.selectAll().where { table.id eq id }.limit(1).empty()
}
