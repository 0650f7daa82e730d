package dev.restflow.benchmarks.export

import dev.restflow.sample.SampleConfig
import dev.restflow.sample.database.ShopDatabase
import dev.restflow.sample.database.ShopSchema
import dev.restflow.testing.PostgresDatabase

/**
 * Fills a fresh PostgreSQL database with the sample's schema (`ShopSchema.create`, so every index the shop has) and
 * [rows] products, in SQL on the server: two users, three categories, then one `INSERT … SELECT` over
 * `generate_series`, then `VACUUM ANALYZE`.
 *
 * Products are deterministic: prices vary over 0.00–999.99 with both decimals, stock 0–49 (`in_stock` follows),
 * two tags, `created_at` with microseconds, and every 100th description holds a quote, a backslash, a tab and
 * non-ASCII text, so the baseline's hand-written JSON is compared with the serializer's on escapes too.
 */
internal object ExportData {
    fun load(database: PostgresDatabase, rows: Int) {
        val shop = ShopDatabase.open(
            SampleConfig(
                databaseUrl = database.jdbcUrl, databaseUser = database.user, databasePassword = database.password,
                jwtSigningKey = "export-benchmark-loader",
            ),
            maxPoolSize = 1,
        )
        shop.use { ShopSchema.create(it) }
        database.connect().use { connection ->
            connection.autoCommit = true
            connection.createStatement().use { sql ->
                sql.execute(
                    "INSERT INTO users (username, email, password, is_staff, is_active, date_joined) VALUES " +
                        "('alice', 'alice@example.com', '!', false, true, TIMESTAMP '2026-01-01 00:00:00'), " +
                        "('bob', 'bob@example.com', '!', false, true, TIMESTAMP '2026-01-01 00:00:00')",
                )
                sql.execute("INSERT INTO categories (name, slug) VALUES ('Books', 'books'), ('Games', 'games'), ('Tools', 'tools')")
                sql.execute(
                    """
                    INSERT INTO products (name, description, price, stock, in_stock, category_id, tags, owner_id, created_at)
                    SELECT 'Product ' || g,
                           CASE WHEN g % 100 = 0
                                THEN 'Special "quoted" \ back' || chr(9) || 'slash, café ✓ #' || g
                                ELSE 'Deterministic product number ' || g || ' of the streaming export benchmark' END,
                           ((g::bigint * 7919) % 100000) / 100.0,
                           (g * 31) % 50,
                           (g * 31) % 50 > 0,
                           (SELECT min(id) FROM categories) + g % 3,
                           ARRAY['tag' || (g % 7), 'color-' || (g % 11)]::varchar(40)[],
                           (SELECT min(id) FROM users) + g % 2,
                           TIMESTAMP '2026-01-01 00:00:00' + g * INTERVAL '1.000250 seconds'
                    FROM generate_series(1, $rows) AS g
                    """.trimIndent(),
                )
                sql.execute("VACUUM ANALYZE")
            }
        }
    }
}
