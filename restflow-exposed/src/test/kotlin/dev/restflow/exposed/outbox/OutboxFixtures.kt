package dev.restflow.exposed.outbox

import dev.restflow.testing.PostgresDatabase
import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID

/** A business table that outbox tests change together with their outbox rows. */
object OutboxProducts : IntIdTable("outbox_products") {
    val name = varchar("name", 100)
}

/** Databases and helpers shared by the outbox tests (also used from Java and from the crash test's child JVM). */
object OutboxFixtures {
    @JvmStatic
    fun h2(): Database = Database.connect("jdbc:h2:mem:outbox-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")

    /** One PostgreSQL database of its own per JVM for the outbox tests. */
    val postgres: PostgresDatabase by lazy { TestServices.newPostgresDatabase() }

    @JvmStatic
    fun connect(pg: PostgresDatabase): Database = Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)

    /** Creates (or empties) the business and outbox tables. */
    @JvmStatic
    fun reset(db: Database) {
        transaction(db) {
            SchemaUtils.drop(OutboxProducts, OutboxTable)
            SchemaUtils.create(OutboxProducts)
        }
        Outbox.createSchema(db)
    }

    /** Inserts a product and its outbox payload in one committed transaction (the Java tests' write path). */
    @JvmStatic
    fun createProduct(db: Database, name: String): Long = transaction(db) {
        OutboxProducts.insert { it[OutboxProducts.name] = name }
        Outbox.enqueue("""{"evict":"product:$name"}""")
    }
}
