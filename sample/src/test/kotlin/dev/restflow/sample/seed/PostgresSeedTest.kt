package dev.restflow.sample.seed

import dev.restflow.sample.SampleConfig
import dev.restflow.sample.database.ShopDatabase
import dev.restflow.sample.database.ShopSchema
import dev.restflow.testing.TestServices
import org.junit.jupiter.api.Test
import kotlin.test.assertTrue

/** [SeedContract] on real PostgreSQL: a fresh database per test, passed as `DATABASE_URL` and credentials. */
class PostgresSeedTest : SeedContract() {
    override fun freshEnvironment(): Map<String, String> {
        val pg = TestServices.newPostgresDatabase()
        return mapOf("DATABASE_URL" to pg.jdbcUrl, "DATABASE_USER" to pg.user, "DATABASE_PASSWORD" to pg.password)
    }

    @Test
    fun `products tags are a text array with a GIN index for containment filters`() {
        ShopDatabase.open(SampleConfig.fromEnvironment(freshEnvironment())).use { database ->
            ShopSchema.create(database)
            ShopSchema.create(database) // idempotent

            val (type, indexDef) = database.dataSource.connection.use { c ->
                val type = c.createStatement().use { st ->
                    st.executeQuery(
                        "SELECT data_type, udt_name FROM information_schema.columns " +
                            "WHERE table_name = 'products' AND column_name = 'tags'",
                    ).use { rs -> rs.next(); rs.getString(1) + " " + rs.getString(2) }
                }
                val index = c.createStatement().use { st ->
                    st.executeQuery("SELECT indexdef FROM pg_indexes WHERE indexname = 'products_tags_gin_idx'")
                        .use { rs -> if (rs.next()) rs.getString(1) else "" }
                }
                type to index
            }
            assertTrue(type == "ARRAY _varchar", type)
            assertTrue("USING gin (tags)" in indexDef, indexDef)
        }
    }
}
