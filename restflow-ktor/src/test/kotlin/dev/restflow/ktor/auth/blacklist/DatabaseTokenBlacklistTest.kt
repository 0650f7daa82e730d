package dev.restflow.ktor.auth.blacklist

import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.deleteAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import kotlinx.coroutines.runBlocking
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals

abstract class DatabaseTokenBlacklistContract : TokenBlacklistContract() {
    protected abstract val database: Database
    private val created by lazy { DatabaseTokenBlacklist(database, clock).also { it.createTable() } }

    override fun blacklist(): TokenBlacklist = created

    @Test
    fun `deleteExpired removes expired rows only, and createTable is idempotent`() = runBlocking {
        val b = created
        b.createTable()
        transaction(database) { BlacklistedTokens.deleteAll() }
        b.add("jti:short", clock.instant().plusSeconds(10))
        b.add("jti:long", clock.instant().plusSeconds(100))
        clock.now = clock.now.plusSeconds(10)
        assertEquals(1, b.deleteExpired())
        assertEquals(listOf("jti:long"), transaction(database) { BlacklistedTokens.selectAll().map { it[BlacklistedTokens.jti] } })
    }
}

class PostgresTokenBlacklistTest : DatabaseTokenBlacklistContract() {
    override val database: Database by lazy {
        val pg = TestServices.newPostgresDatabase()
        Database.connect(pg.jdbcUrl, user = pg.user, password = pg.password)
    }
}

class H2TokenBlacklistTest : DatabaseTokenBlacklistContract() {
    override val database: Database by lazy {
        Database.connect("jdbc:h2:mem:blacklist-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", driver = "org.h2.Driver")
    }
}
