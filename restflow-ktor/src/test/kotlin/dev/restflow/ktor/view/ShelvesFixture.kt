package dev.restflow.ktor.view

import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID

/** Database setup for the Java tests (Exposed's own API is Kotlin-shaped; the facades under test are not). */
object ShelvesFixture {
    @JvmStatic
    fun database(vararg names: String): Database =
        Database.connect("jdbc:h2:mem:java-views-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also {
            transaction(it) {
                SchemaUtils.create(Shelves)
                names.forEach { n -> Shelves.insert { row -> row[name] = n } }
            }
        }

    /** Every shelf name, inside the caller's transaction. */
    @JvmStatic
    fun names(): List<String> = Shelves.selectAll().orderBy(Shelves.id).map { it[Shelves.name] }
}
