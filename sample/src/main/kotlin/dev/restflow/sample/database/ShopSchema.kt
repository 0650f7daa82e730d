package dev.restflow.sample.database

import dev.restflow.sample.catalog.Categories
import dev.restflow.sample.catalog.Products
import dev.restflow.sample.reviews.Reviews
import dev.restflow.sample.users.Users
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.vendors.PostgreSQLDialect
import org.jetbrains.exposed.v1.core.vendors.currentDialect
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.slf4j.LoggerFactory

/** Creates the shop's tables and indexes when they are absent. */
object ShopSchema {
    private val log = LoggerFactory.getLogger(ShopSchema::class.java)

    /** Every table of the shop, parents first. */
    val tables: List<Table> = listOf(Users, Categories, Products, Reviews)

    /**
     * Creates missing tables (with their indexes and constraints) in one transaction; existing tables are left
     * as they are. On PostgreSQL also adds a GIN index on `products.tags` for `tags__contains` (`@>`).
     */
    fun create(database: ShopDatabase) {
        transaction(database.db) {
            SchemaUtils.create(*tables.toTypedArray())
            if (currentDialect is PostgreSQLDialect) {
                exec("CREATE INDEX IF NOT EXISTS products_tags_gin_idx ON products USING GIN (tags)")
            }
        }
        log.info("Schema ready ({})", tables.joinToString { it.tableName })
    }
}
