package dev.restflow.exposed.invalidation

import dev.restflow.cache.memory.InMemoryCacheBackend
import dev.restflow.testing.TestServices
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread
import kotlin.test.AfterTest
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds

object Dials : IntIdTable("inv_dials") {
    val level = integer("level")
}

/**
 * What every dispatcher must do, whatever carries the work: apply each committed change once it is idle, nothing
 * for a rollback, no lost work under concurrent commits, and drain on close. Durable dispatchers (Redis streams, an
 * outbox) add a subclass.
 */
abstract class DispatcherContract {
    protected abstract val db: Database

    /** The dispatcher's name, registered by [configure] unless built in. */
    protected abstract val dispatcherName: String

    /** Registers the dispatcher under test. */
    protected open fun configure(builder: InvalidationRegistryBuilder) {}

    protected val applied: ConcurrentHashMap<String, AtomicInteger> = ConcurrentHashMap<String, AtomicInteger>()
    protected lateinit var registry: InvalidationRegistry

    protected val rule: InvalidationRule by lazy {
        invalidateOn(Dials, "dials") {
            dispatcher = dispatcherName
            map("id" to Dials.id)
            invalidator { work -> for (args in work.args) applied.computeIfAbsent(args.getValue("id")!!) { AtomicInteger() }.incrementAndGet() }
        }
    }

    @BeforeTest
    fun start() {
        transaction(db) {
            SchemaUtils.drop(Dials)
            SchemaUtils.create(Dials)
            Dials.batchInsert(1..100) { n -> this[Dials.id] = n; this[Dials.level] = 0 }
        }
        registry = InvalidationRegistry.builder(InMemoryCacheBackend.builder().build(), db).rule(rule).also(::configure).build()
    }

    @AfterTest
    fun stop() {
        registry.close()
    }

    /** Waits until everything committed so far was applied. */
    protected open fun awaitApplied() {
        assertTrue(registry.awaitIdle(30.seconds))
    }

    protected fun touch(id: Int) {
        transaction(db) { Dials.update({ Dials.id eq id }) { it[level] = id } }
    }

    @Test
    fun `a committed change is applied once the dispatcher is idle`() {
        touch(7)
        awaitApplied()
        assertEquals(mapOf("7" to 1), applied.mapValues { it.value.get() })
        assertEquals(0, registry.status().dispatchers.single { it.name == dispatcherName }.pending)
    }

    @Test
    fun `a rollback dispatches nothing`() {
        transaction(db) {
            Dials.update({ Dials.id eq 1 }) { it[level] = 1 }
            rollback()
        }
        awaitApplied()
        assertEquals(emptyMap(), applied.toMap())
    }

    @Test
    fun `concurrent commits lose no work`() {
        val writers = (0 until 4).map { w -> thread { for (i in 1..25) touch(w * 25 + i) } }
        writers.forEach { it.join() }
        awaitApplied()
        assertEquals((1..100).map { "$it" }.toSet(), applied.keys)
        assertTrue(applied.values.all { it.get() == 1 })
    }

    @Test
    open fun `close drains what was taken`() {
        for (i in 1..20) touch(i)
        registry.close()
        assertEquals(20, applied.size)
    }
}

internal val h2Url get() = "jdbc:h2:mem:dispatch-${UUID.randomUUID()};DB_CLOSE_DELAY=-1"

internal object DispatchPostgres {
    val db: Database by lazy {
        val pg = TestServices.newPostgresDatabase()
        Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
    }
}

/** A custom dispatcher handing each batch to its own thread, which applies it. */
private fun customThreads(builder: InvalidationRegistryBuilder) {
    val running = java.util.concurrent.CopyOnWriteArrayList<Thread>()
    builder.dispatcher(object : InvalidationDispatcher {
        override val name = "custom"
        override fun dispatch(batch: InvalidationBatch, context: DispatchContext) {
            running += thread { context.apply(InvalidationBatch.decode(batch.encode())) } // as a remote worker would
        }
        override fun pending(): Int = running.count { it.isAlive }
        override fun awaitIdle(timeout: java.time.Duration): Boolean {
            running.forEach { it.join(timeout.toMillis()) }
            return pending() == 0
        }
        override fun close() {
            running.forEach { it.join() }
        }
    })
}

class H2InlineDispatcherTest : DispatcherContract() {
    override val db: Database = Database.connect(h2Url, "org.h2.Driver")
    override val dispatcherName = "inline"
}

class PostgresInlineDispatcherTest : DispatcherContract() {
    override val db: Database get() = DispatchPostgres.db
    override val dispatcherName = "inline"
}

class H2ThreadPoolDispatcherTest : DispatcherContract() {
    override val db: Database = Database.connect(h2Url, "org.h2.Driver")
    override val dispatcherName = "threadpool"
    override fun configure(builder: InvalidationRegistryBuilder) {
        builder.threadPool(maxWorkers = 2, queueCapacity = 8)
    }
}

class PostgresThreadPoolDispatcherTest : DispatcherContract() {
    override val db: Database get() = DispatchPostgres.db
    override val dispatcherName = "threadpool"
}

class H2CoroutineDispatcherTest : DispatcherContract() {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    override val db: Database = Database.connect(h2Url, "org.h2.Driver")
    override val dispatcherName = "coroutine"
    override fun configure(builder: InvalidationRegistryBuilder) {
        builder.coroutines(scope, maxPending = 8)
    }

    @AfterTest
    fun cancelScope() {
        scope.cancel()
    }
}

class PostgresCoroutineDispatcherTest : DispatcherContract() {
    override val db: Database get() = DispatchPostgres.db
    override val dispatcherName = "coroutine"
}

class H2CustomDispatcherTest : DispatcherContract() {
    override val db: Database = Database.connect(h2Url, "org.h2.Driver")
    override val dispatcherName = "custom"
    override fun configure(builder: InvalidationRegistryBuilder) = customThreads(builder)
}

class PostgresCustomDispatcherTest : DispatcherContract() {
    override val db: Database get() = DispatchPostgres.db
    override val dispatcherName = "custom"
    override fun configure(builder: InvalidationRegistryBuilder) {
        builder.registerDispatcher("custom") { batch, context -> context.apply(batch) }
    }
}
