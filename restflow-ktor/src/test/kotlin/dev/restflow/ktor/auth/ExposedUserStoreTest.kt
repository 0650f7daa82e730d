package dev.restflow.ktor.auth

import dev.restflow.testing.TestServices
import kotlinx.coroutines.runBlocking
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

object ShopUsersTable : Table("shop_users") {
    val id = integer("id").autoIncrement()
    val username = varchar("username", 150).uniqueIndex()
    val password = varchar("password", 128).nullable()
    val isActive = bool("is_active")
    val isStaff = bool("is_staff")
    val email = varchar("email", 254).nullable()
    override val primaryKey = PrimaryKey(id)
}

abstract class ExposedUserStoreContract {
    abstract val database: Database

    private val store by lazy {
        transaction(database) {
            SchemaUtils.create(ShopUsersTable)
            ShopUsersTable.insert { it[username] = "alice"; it[password] = testHasher.hash("alice-pass"); it[isActive] = true; it[isStaff] = true; it[email] = "a@example.com" }
            ShopUsersTable.insert { it[username] = "carol"; it[password] = null; it[isActive] = false; it[isStaff] = false }
        }
        // region exposed-user-store
        val users = ExposedUserStore.intIds(database, ShopUsersTable, ShopUsersTable.id)
            .username(ShopUsersTable.username).passwordHash(ShopUsersTable.password)
            .active(ShopUsersTable.isActive).staff(ShopUsersTable.isStaff).email(ShopUsersTable.email)
            .build()
        // endregion
        users
    }

    @Test
    fun `users are found by username and by id with every mapped column`() = runBlocking {
        val alice = store.findByUsername("alice")!!
        assertTrue(testHasher.verify("alice-pass", alice.passwordHash!!))
        assertTrue(alice.isActive && alice.isStaff)
        assertEquals("a@example.com", alice.email)
        assertEquals("alice", store.findById(alice.id)!!.username)
        val carol = store.findByUsername("carol")!!
        assertFalse(carol.isActive)
        assertNull(carol.passwordHash)
    }

    @Test
    fun `unknown users and unparsable ids are null`() = runBlocking {
        assertNull(store.findByUsername("nobody"))
        assertNull(store.findById("999"))
        assertNull(store.findById("abc"))
        assertNull(store.findById("1 OR 1=1"))
    }
}

class H2ExposedUserStoreTest : ExposedUserStoreContract() {
    override val database: Database by lazy {
        Database.connect("jdbc:h2:mem:users-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", driver = "org.h2.Driver")
    }
}

class PostgresExposedUserStoreTest : ExposedUserStoreContract() {
    override val database: Database by lazy {
        val pg = TestServices.newPostgresDatabase()
        Database.connect(pg.jdbcUrl, user = pg.user, password = pg.password)
    }
}
