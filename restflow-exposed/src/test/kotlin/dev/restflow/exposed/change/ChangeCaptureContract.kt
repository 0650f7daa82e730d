package dev.restflow.exposed.change

import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.greater
import org.jetbrains.exposed.v1.core.inList
import org.jetbrains.exposed.v1.core.and
import org.jetbrains.exposed.v1.core.or
import org.jetbrains.exposed.v1.dao.IntEntity
import org.jetbrains.exposed.v1.dao.IntEntityClass
import org.jetbrains.exposed.v1.core.DatabaseConfig
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.deleteWhere
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import org.jetbrains.exposed.v1.jdbc.upsert
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.AfterTest
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

object Gadgets : IntIdTable("cc_gadgets") {
    val name = varchar("name", 50)
    val price = integer("price")
    val shop = integer("shop").default(1)
}

object GadgetOutbox : IntIdTable("cc_outbox") {
    val payload = varchar("payload", 200)
}

class Gadget(id: EntityID<Int>) : IntEntity(id) {
    companion object : IntEntityClass<Gadget>(Gadgets)

    var name by Gadgets.name
    var price by Gadgets.price
}

/**
 * Change capture on a real database: every write path is seen, published only after the outermost commit, and a
 * rollback (whole or nested) publishes nothing it undid. Runs on H2 and PostgreSQL.
 */
abstract class ChangeCaptureContract {
    protected abstract val db: Database

    /** Another connection to the same database, with nested transactions (savepoints) on. */
    protected abstract fun nested(): Database
    private val seen = CopyOnWriteArrayList<List<TableChange>>()
    private var subscription: AutoCloseable? = null

    @BeforeTest
    fun start() {
        transaction(db) {
            SchemaUtils.drop(Gadgets, GadgetOutbox)
            SchemaUtils.create(Gadgets, GadgetOutbox)
        }
        // region subscribe
        subscription = ChangeFeed.subscribe(db) { _, changes ->
            // after the outermost commit, once per transaction, in statement order
            seen += changes
        }
        // endregion
    }

    @AfterTest
    fun stop() {
        subscription?.close()
    }

    private fun <T> row(change: TableChange, column: Column<T>): Any? = change.rows.single()[column]

    @Test
    fun `an insert is published after commit with its values and generated id`() {
        var inside = -1
        transaction(db) {
            Gadgets.insert { it[name] = "lamp"; it[price] = 10 }
            inside = seen.size
        }
        assertEquals(0, inside, "nothing is published before the commit")
        val change = seen.single().single()
        assertEquals(ChangeKind.INSERT, change.kind)
        assertEquals("lamp", row(change, Gadgets.name))
        assertEquals(1, row(change, Gadgets.id), "the generated id, as a plain value")
        assertTrue(Gadgets.price in change.changedColumns)
    }

    @Test
    fun `batch inserts, updates and deletes pin their rows from equality`() {
        transaction(db) {
            Gadgets.batchInsert(listOf("a", "b", "c")) { n -> this[Gadgets.name] = n; this[Gadgets.price] = 1 }
        }
        assertEquals(listOf("a", "b", "c"), seen.single().single().rows.map { it[Gadgets.name] })
        seen.clear()
        transaction(db) {
            Gadgets.update({ Gadgets.id eq 2 }) { it[price] = 5 }
            Gadgets.update({ (Gadgets.id inList listOf(1, 3)) and (Gadgets.price greater 0) }) { it[name] = "z" }
            Gadgets.update({ (Gadgets.shop eq 1) and ((Gadgets.id eq 1) or (Gadgets.id eq 2)) }) { it[price] = 7 }
            Gadgets.deleteWhere { Gadgets.id eq 3 }
        }
        val (one, two, three, gone) = seen.single()
        assertEquals(listOf(mapOf<Column<*>, Any?>(Gadgets.id to 2)), one.rows)
        assertEquals(setOf(Gadgets.price), one.changedColumns)
        assertEquals(listOf(1, 3), two.rows.map { it[Gadgets.id] }, "IN pins each row; the range only narrows")
        assertEquals(setOf(Gadgets.name), two.changedColumns)
        assertEquals(listOf(mapOf<Column<*>, Any?>(Gadgets.shop to 1, Gadgets.id to 1), mapOf<Column<*>, Any?>(Gadgets.shop to 1, Gadgets.id to 2)), three.rows)
        assertEquals(ChangeKind.DELETE, gone.kind)
        assertEquals(listOf(mapOf<Column<*>, Any?>(Gadgets.id to 3)), gone.rows)
        assertTrue(seen.single().none { it.wholeTable })
    }

    @Test
    fun `a write whose rows cannot be told changes the whole table`() {
        transaction(db) {
            Gadgets.insert { it[name] = "a"; it[price] = 1 }
            Gadgets.update({ Gadgets.price greater 0 }) { it[price] = 2 }
            Gadgets.deleteWhere { (Gadgets.id eq 1) or (Gadgets.price greater 5) }
        }
        val (_, update, delete) = seen.single()
        assertTrue(update.wholeTable && update.rows.isEmpty())
        assertTrue(delete.wholeTable, "one unpinned OR branch unpins the delete")
    }

    @Test
    fun `upserts and DAO writes are captured`() {
        transaction(db) { Gadgets.upsert { it[id] = 5; it[name] = "u"; it[price] = 1 } }
        assertEquals(ChangeKind.UPSERT, seen.single().single().kind)
        assertEquals(5, seen.single().single().rows.single()[Gadgets.id])
        seen.clear()
        val id = transaction(db) { Gadget.new { name = "dao"; price = 3 }.id.value }
        assertEquals(ChangeKind.INSERT, seen.single().single().kind)
        seen.clear()
        transaction(db) { Gadget[id].price = 4 }
        val update = seen.single().single()
        assertEquals(ChangeKind.UPDATE, update.kind)
        assertEquals(id, update.rows.single()[Gadgets.id])
        assertEquals(setOf(Gadgets.price), update.changedColumns)
        seen.clear()
        transaction(db) { Gadget[id].delete() }
        assertEquals(ChangeKind.DELETE, seen.single().single().kind)
        assertEquals(id, seen.single().single().rows.single()[Gadgets.id])
    }

    @Test
    fun `a rollback publishes nothing`() {
        assertFailsWith<IllegalStateException> {
            transaction(db) {
                Gadgets.insert { it[name] = "x"; it[price] = 1 }
                error("boom")
            }
        }
        transaction(db) {
            Gadgets.insert { it[name] = "y"; it[price] = 1 }
            rollback()
        }
        assertEquals(emptyList(), seen.toList())
    }

    @Test
    fun `a rolled-back nested transaction drops only its own writes`() {
        val nestedDb = nested()
        ChangeFeed.subscribe(nestedDb) { _, changes -> seen += changes }.use {
            transaction(nestedDb) {
                Gadgets.insert { it[name] = "outer"; it[price] = 1 }
                runCatching {
                    transaction(nestedDb) {
                        Gadgets.insert { it[name] = "inner-undone"; it[price] = 1 }
                        error("undo")
                    }
                }
                transaction(nestedDb) { Gadgets.insert { it[name] = "inner-kept"; it[price] = 1 } }
            }
        }
        assertEquals(listOf("outer", "inner-kept"), seen.single().map { it.rows.single()[Gadgets.name] })
        val stored = transaction(db) { Gadgets.selectAll().map { it[Gadgets.name] }.sorted() }
        assertEquals(listOf("inner-kept", "outer"), stored, "the database agrees with what was published")
    }

    private fun outbox(database: Database = db): List<String> =
        transaction(database) { GadgetOutbox.selectAll().orderBy(GadgetOutbox.id).map { it[GadgetOutbox.payload] } }

    /** Writes one outbox row per transaction, inside it, naming the rows it is about to commit. */
    private fun outboxHook(database: Database): AutoCloseable =
        // region before-commit
        ChangeFeed.subscribeBeforeCommit(database) { _, changes ->
            // inside the transaction, just before the outermost commit: this insert commits or rolls back with it
            val names = changes.filter { it.table == Gadgets }.flatMap { c -> c.rows.map { it[Gadgets.name] } }
            if (names.isNotEmpty()) GadgetOutbox.insert { it[payload] = names.joinToString(",") }
        }
        // endregion

    @Test
    fun `a before-commit listener writes in the transaction, committed with it and gone on rollback`() {
        outboxHook(db).use {
            transaction(db) {
                Gadgets.insert { it[name] = "a"; it[price] = 1 }
                Gadgets.insert { it[name] = "b"; it[price] = 1 }
                assertEquals(emptyList(), GadgetOutbox.selectAll().map { it[GadgetOutbox.payload] }, "nothing in the outbox before the commit")
            }
            assertEquals(listOf("a,b"), outbox())
            transaction(db) {
                Gadgets.insert { it[name] = "gone"; it[price] = 1 }
                rollback()
            }
            assertFailsWith<IllegalStateException> {
                transaction(db) {
                    Gadgets.insert { it[name] = "failed"; it[price] = 1 }
                    error("boom")
                }
            }
            assertEquals(listOf("a,b"), outbox(), "a rolled-back transaction leaves no outbox row")
        }
        val published = seen.flatten().filter { it.table == GadgetOutbox }
        assertEquals(1, published.size, "the listener's own insert is published with the commit")
    }

    @Test
    fun `a failing before-commit listener fails the commit, and nothing is kept`() {
        ChangeFeed.subscribeBeforeCommit(db) { _, _ -> throw IllegalStateException("outbox down") }.use {
            assertFailsWith<IllegalStateException> {
                transaction(db) { Gadgets.insert { it[name] = "x"; it[price] = 1 } }
            }
        }
        assertEquals(0L, transaction(db) { Gadgets.selectAll().count() })
        assertEquals(emptyList(), seen.toList(), "nothing is published either")
    }

    @Test
    fun `a before-commit listener does not see a rolled-back nested transaction`() {
        val nestedDb = nested()
        outboxHook(nestedDb).use {
            transaction(nestedDb) {
                Gadgets.insert { it[name] = "outer"; it[price] = 1 }
                runCatching {
                    transaction(nestedDb) {
                        Gadgets.insert { it[name] = "undone"; it[price] = 1 }
                        error("undo")
                    }
                }
                transaction(nestedDb) { Gadgets.insert { it[name] = "kept"; it[price] = 1 } }
            }
        }
        assertEquals(listOf("outer,kept"), outbox(), "one row, at the outermost commit, without the undone write")
    }
}

class H2ChangeCaptureTest : ChangeCaptureContract() {
    private val url = "jdbc:h2:mem:change-${UUID.randomUUID()};DB_CLOSE_DELAY=-1"
    override val db: Database = Database.connect(url, "org.h2.Driver")

    override fun nested(): Database =
        Database.connect(url, "org.h2.Driver", databaseConfig = DatabaseConfig { useNestedTransactions = true })
}

class PostgresChangeCaptureTest : ChangeCaptureContract() {
    override val db: Database get() = shared.second

    override fun nested(): Database = Database.connect(
        shared.first.jdbcUrl, "org.postgresql.Driver", shared.first.user, shared.first.password,
        databaseConfig = DatabaseConfig { useNestedTransactions = true },
    )

    private companion object {
        val shared by lazy {
            val pg = TestServices.newPostgresDatabase()
            pg to Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
