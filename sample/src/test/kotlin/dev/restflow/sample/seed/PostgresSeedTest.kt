package dev.restflow.sample.seed

import dev.restflow.testing.TestServices

/** [SeedContract] on real PostgreSQL: a fresh database per test, passed as `DATABASE_URL` and credentials. */
class PostgresSeedTest : SeedContract() {
    override fun freshEnvironment(): Map<String, String> {
        val pg = TestServices.newPostgresDatabase()
        return mapOf("DATABASE_URL" to pg.jdbcUrl, "DATABASE_USER" to pg.user, "DATABASE_PASSWORD" to pg.password)
    }
}
