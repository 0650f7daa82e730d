package dev.restflow.exposed.invalidation

import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.util.UUID

/** Database fixtures for the Java tests (Exposed's `transaction` is awkward from Java). */
object DialRows {
    /** A fresh H2 database with dials 1..10 at level 0. */
    @JvmStatic
    fun h2(): Database {
        val db = Database.connect("jdbc:h2:mem:dials-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
        transaction(db) {
            SchemaUtils.create(Dials)
            Dials.batchInsert(1..10) { n -> this[Dials.id] = n; this[Dials.level] = 0 }
        }
        return db
    }

    /** Sets dial [id]'s level in one committed transaction. */
    @JvmStatic
    fun setLevel(db: Database, id: Int, level: Int) {
        transaction(db) { Dials.update({ Dials.id eq id }) { it[Dials.level] = level } }
    }

    /** Sets dial [id]'s level and rolls back. */
    @JvmStatic
    fun setLevelAndRollBack(db: Database, id: Int, level: Int) {
        transaction(db) {
            Dials.update({ Dials.id eq id }) { it[Dials.level] = level }
            rollback()
        }
    }
}
