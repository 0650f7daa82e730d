package dev.restflow.sample

import dev.restflow.sample.database.ShopDatabase
import dev.restflow.sample.database.ShopSchema
import dev.restflow.sample.seed.Seeder
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.TestInstance

/**
 * A seeded shop database for one test class (H2 or PostgreSQL per [environment]), with the auth throttle raised so
 * the class's many logins are not refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SeededShopContract {
    protected abstract fun environment(): Map<String, String>

    protected lateinit var config: SampleConfig
    protected lateinit var database: ShopDatabase

    @BeforeAll
    fun openShop() {
        config = SampleConfig.fromEnvironment(environment() + ("RESTFLOW_THROTTLE_AUTH" to "1000/min"))
        database = ShopDatabase.open(config)
        ShopSchema.create(database)
        Seeder.seedIfEmpty(database, config.seedProducts)
    }

    @AfterAll
    fun closeShop() = database.close()
}
