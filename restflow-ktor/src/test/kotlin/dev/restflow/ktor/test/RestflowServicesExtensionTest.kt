package dev.restflow.ktor.test

import dev.restflow.testing.PostgresDatabase
import io.ktor.client.request.get
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.junit.jupiter.api.extension.ExtendWith
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

// region services-extension
@ExtendWith(RestflowServicesExtension::class)
class RestflowServicesExtensionTest {
    @Test
    fun `a test gets its own PostgreSQL database, reachable through Exposed`(pg: PostgresDatabase, db: Database) {
        assertTrue(pg.jdbcUrl.startsWith("jdbc:postgresql:"), pg.jdbcUrl)
        transaction(db) {
            SchemaUtils.create(Notes)
            Notes.insert { it[text] = "on postgres" }
            assertEquals(1, Notes.selectAll().count())
            assertEquals("PostgreSQL", db.vendor.let { if (it == "postgresql") "PostgreSQL" else it })
        }
        pg.connect().use { c -> c.createStatement().executeQuery("select count(*) from testkit_notes").use { it.next(); assertEquals(1, it.getInt(1)) } }
    }

    @Test
    fun `a test gets a real Redis that Restflow's cache can use`(redis: TestRedis, db: Database) = restflowTestApplication {
        transaction(db) { SchemaUtils.create(Notes) }
        application { TestKitFixture.module(this, db, cacheUrl = redis.uri) }
        val path = "/cached?run=${java.util.UUID.randomUUID()}" // the shared Redis outlives this test
        client.get(path).assertCacheMiss()
        client.get(path).assertCacheHit()
    }
}
// endregion
