package dev.restflow.exposed.invalidation

import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.memory.InMemoryCacheBackend
import dev.restflow.testing.TestServices
import kotlinx.coroutines.runBlocking
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.greater
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.util.UUID
import kotlin.test.AfterTest
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.time.Duration.Companion.minutes

object Lamps : IntIdTable("inv_lamps") {
    val name = varchar("name", 50)
    val watts = integer("watts")
    val room = integer("room")
}

/** Rules and the inline invalidator on a real database and cache backend: gates, partitions, namespace fallback. */
abstract class InvalidatorContract {
    protected abstract val db: Database
    private val cache = InMemoryCacheBackend.builder().build()
    private var invalidator: Invalidator? = null

    // region rules
    private val byLamp = invalidateOn(Lamps) {
        namespace("lamps")    // the cache namespace whose entries go stale
        partition(Lamps.id)   // lamp 2 changed → partition "2"
        watch(Lamps.watts)    // updates that set no watched column do not fire
        onCreate = false      // a new lamp has no cached entry yet
    }
    private val byRoom = invalidateOn(Lamps) { namespace("rooms"); partition(Lamps.room) }
    // endregion

    @BeforeTest
    fun start() {
        transaction(db) {
            SchemaUtils.drop(Lamps)
            SchemaUtils.create(Lamps)
            for (i in 1..3) Lamps.insert { it[name] = "lamp$i"; it[watts] = 10 * i; it[room] = i }
        }
        // region invalidator
        invalidator = Invalidator(cache, listOf(byLamp, byRoom), db) // close() it when the application stops
        // endregion
        warm()
    }

    @AfterTest
    fun stop() {
        invalidator?.close()
    }

    private fun warm() = runBlocking {
        for (i in 1..3) {
            cache.set(CacheEntryKey.of("lamps", "get", "$i"), byteArrayOf(1), 5.minutes)
            cache.set(CacheEntryKey.of("rooms", "list", "$i"), byteArrayOf(1), 5.minutes)
        }
    }

    private fun cached(namespace: String): List<Int> = runBlocking {
        (1..3).filter { i -> cache.get(CacheEntryKey.of(namespace, if (namespace == "lamps") "get" else "list", "$i")) is CacheRead.Hit }
    }

    @Test
    fun `an update pinned by id evicts that partition once committed`() {
        transaction(db) {
            Lamps.update({ Lamps.id eq 2 }) { it[watts] = 99 }
            assertEquals(listOf(1, 2, 3), cached("lamps"), "nothing before the commit")
        }
        assertEquals(listOf(1, 3), cached("lamps"))
        assertEquals(emptyList(), cached("rooms"), "rooms: the update pins only the id, so the room namespace goes")
    }

    @Test
    fun `the watch gate skips updates that set no watched column`() {
        transaction(db) { Lamps.update({ Lamps.id eq 1 }) { it[name] = "renamed" } }
        assertEquals(listOf(1, 2, 3), cached("lamps"))
    }

    @Test
    fun `onCreate false ignores inserts while a rule with onCreate evicts the new row's partition`() {
        transaction(db) { Lamps.insert { it[name] = "new"; it[watts] = 5; it[room] = 3 } }
        assertEquals(listOf(1, 2, 3), cached("lamps"))
        assertEquals(listOf(1, 2), cached("rooms"))
    }

    @Test
    fun `rows that cannot be told, or a moved partition column, flush the namespace`() {
        transaction(db) { Lamps.update({ Lamps.watts greater 15 }) { it[watts] = 1 } }
        assertEquals(emptyList(), cached("lamps"))
        warm()
        transaction(db) { Lamps.update({ Lamps.id eq 1 }) { it[room] = 2 } }
        assertEquals(emptyList(), cached("rooms"), "the old and new room are unknown: the whole namespace goes")
    }

    @Test
    fun `a rollback evicts nothing`() {
        transaction(db) {
            Lamps.update({ Lamps.id eq 1 }) { it[watts] = 1 }
            rollback()
        }
        assertEquals(listOf(1, 2, 3), cached("lamps"))
    }

    @Test
    fun `rules need a namespace and unique names, and a closed invalidator stops`() {
        assertFailsWith<IllegalArgumentException> { invalidateOn(Lamps) { partition(Lamps.id) } }
        assertFailsWith<IllegalArgumentException> { Invalidator(cache, listOf(byLamp, byLamp)) }
        assertEquals("inv_lamps->lamps", byLamp.name)
        invalidator?.close()
        transaction(db) { Lamps.update({ Lamps.id eq 1 }) { it[watts] = 1 } }
        assertEquals(listOf(1, 2, 3), cached("lamps"))
    }
}

class H2InvalidatorTest : InvalidatorContract() {
    override val db: Database =
        Database.connect("jdbc:h2:mem:invalidator-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
}

class PostgresInvalidatorTest : InvalidatorContract() {
    override val db: Database = shared

    private companion object {
        val shared: Database by lazy {
            val pg = TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
