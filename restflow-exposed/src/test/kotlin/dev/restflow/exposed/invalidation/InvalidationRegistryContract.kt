package dev.restflow.exposed.invalidation

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.function.CacheLookup
import dev.restflow.cache.function.CachedFunction
import dev.restflow.cache.function.cached
import dev.restflow.cache.key.cacheKey
import dev.restflow.cache.memory.InMemoryCacheBackend
import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.cache.twotier.TwoTierCacheBackend
import dev.restflow.testing.TestServices
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import kotlinx.coroutines.runBlocking
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.and
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.greater
import org.jetbrains.exposed.v1.dao.IntEntity
import org.jetbrains.exposed.v1.dao.IntEntityClass
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.deleteWhere
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import org.jetbrains.exposed.v1.jdbc.upsert
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread
import kotlin.test.AfterTest
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

object Parts : IntIdTable("inv_parts") {
    val name = varchar("name", 50)
    val price = integer("price")
    val status = varchar("status", 20).default("published")
    val shop = integer("shop").nullable()
}

object PartOutbox : IntIdTable("inv_part_outbox") {
    val batch = text("batch")
}

class Part(id: EntityID<Int>) : IntEntity(id) {
    companion object : IntEntityClass<Part>(Parts)

    var name by Parts.name
    var price by Parts.price
}

/** What a shop's page shows for one part; the cached function's arguments. */
data class ShopPart(val part: Int, val shop: Int?)

/**
 * The invalidation registry end to end on a real database and cache backend: each gate, `requireArgs`, `whenRow`,
 * cached-function targets and rewarm, every write path, rollback, after-commit delivery, error resolution, batching,
 * encoded batches applied by another registry, queue-full policies, and the read/populate race.
 */
abstract class InvalidationRegistryContract {
    protected abstract val db: Database
    protected abstract fun newBackend(): CacheBackend

    private val cache: CacheBackend by lazy { newBackend() }
    private val ns = "parts-" + UUID.randomUUID().toString().take(8)
    private var registry: InvalidationRegistry? = null
    private val loads = AtomicInteger()
    private val meters = SimpleMeterRegistry()

    /** Gates the summary loader after it read the database, for the race test. */
    @Volatile private var loaderGate: Pair<CountDownLatch, CountDownLatch>? = null

    // region function-rule
    private val summaryKey = cacheKey<Int>("$ns-fn") { function("summary"); partition("part_id") { it } }
    private val summary: CachedFunction<Int, String> by lazy {
        cache.cached(summaryKey, 5.minutes) { id: Int -> loads.incrementAndGet(); describe(id) }
    }

    private val summaries by lazy {
        invalidateOn(Parts) {
            function(summary) { args -> args.getValue("part_id")!!.toInt() } // how to rebuild the arguments
            map("part_id" to Parts.id)                // partition part ← column
            watch(Parts.price, Parts.name)            // other columns do not show in a summary
            whenRow { row -> row[Parts.status] == "published" } // uncaptured status: "may match"
            rewarm = true                             // recompute the entry after dropping it
        }
    }
    // endregion

    private val shopKey = cacheKey<ShopPart>("$ns-shop") { function("shop-part"); partition("part_id") { it.part }; partition("shop") { it.shop } }
    private val shopPart: CachedFunction<ShopPart, String> by lazy {
        cache.cached(shopKey, 5.minutes) { a: ShopPart -> "${a.part}@${a.shop}" }
    }

    private fun describe(id: Int): String {
        val price = transaction(db) { Parts.selectAll().where { Parts.id eq id }.single()[Parts.price] }
        loaderGate?.let { (read, release) -> read.countDown(); release.await(30, TimeUnit.SECONDS) }
        return "part $id costs $price"
    }

    @BeforeTest
    fun createParts() {
        transaction(db) {
            SchemaUtils.drop(Parts, PartOutbox)
            SchemaUtils.create(Parts, PartOutbox)
            for (i in 1..3) Parts.insert { it[name] = "p$i"; it[price] = 10 * i; it[shop] = if (i == 3) null else i }
        }
    }

    @AfterTest
    fun closeRegistry() {
        registry?.close()
    }

    private fun start(vararg rules: InvalidationRule, configure: InvalidationRegistryBuilder.() -> Unit = {}): InvalidationRegistry =
        invalidationRegistry(cache, db) {
            rule(*rules)
            meterRegistry = meters
            configure()
        }.also { registry = it }

    private fun nsRule(configure: InvalidationRuleBuilder.() -> Unit = {}) =
        invalidateOn(Parts) { namespace(ns); partition(Parts.id); configure() }

    private fun warm() = runBlocking {
        for (i in 1..3) cache.set(CacheEntryKey.of(ns, "get-$i", "$i"), byteArrayOf(1), 5.minutes)
        cache.set(CacheEntryKey.of(ns, "get-null", ""), byteArrayOf(1), 5.minutes)
    }

    /** Which of the namespace's part entries (1..3, 0 for the empty partition) are cached. */
    private fun cachedParts(): List<Int> = runBlocking {
        (0..3).filter { i -> cache.get(CacheEntryKey.of(ns, if (i == 0) "get-null" else "get-$i", if (i == 0) "" else "$i")) is CacheRead.Hit }
    }

    private fun cachedSummary(id: Int): String? = runBlocking { (summary.getCacheOnly(id) as? CacheLookup.Found)?.value }

    private fun count(name: String, vararg tags: String): Double =
        meters.find(name).tags(*tags).counters().sumOf { it.count() }

    @Test
    fun `the create gate, onCreate false ignores inserts, true evicts the new row's partition`() {
        start(nsRule { onCreate = false }, invalidateOn(Parts, "by-shop") { namespace(ns); partition(Parts.shop) })
        warm()
        transaction(db) { Parts.insert { it[name] = "new"; it[price] = 1; it[shop] = 2 } }
        assertEquals(listOf(0, 1, 3), cachedParts(), "only the by-shop rule fired: shop 2's partition")
    }

    @Test
    fun `the watch gate and rewarm on a cached function`() {
        start(summaries)
        runBlocking { for (i in 1..3) summary(i) }
        assertEquals(3, loads.get())
        transaction(db) { Parts.update({ Parts.id eq 2 }) { it[status] = "draft" } }
        assertEquals("part 2 costs 20", cachedSummary(2), "status is not watched")
        transaction(db) { Parts.update({ Parts.id eq 2 }) { it[price] = 25 } }
        assertEquals("part 2 costs 25", cachedSummary(2), "rewarmed after the commit, before the call returned")
        assertEquals(4, loads.get())
        assertEquals("part 1 costs 10", cachedSummary(1))
    }

    @Test
    fun `whenRow, a captured non-matching row does not fire, an uncaptured column may match`() {
        start(nsRule { whenRow { row -> row[Parts.status] == "published" } })
        warm()
        transaction(db) { Parts.insert { it[id] = 2_000; it[name] = "d"; it[price] = 1; it[status] = "draft" } }
        assertEquals(listOf(0, 1, 2, 3), cachedParts(), "drafts are not shown: nothing evicted")
        transaction(db) { Parts.update({ Parts.id eq 2 }) { it[price] = 3 } }
        assertEquals(listOf(0, 1, 3), cachedParts(), "the update does not capture status: it may match, so it fires")
        transaction(db) { Parts.update({ (Parts.id eq 3) and (Parts.status eq "draft") }) { it[price] = 3 } }
        assertEquals(listOf(0, 1, 3), cachedParts(), "a where pinning status=draft is a captured non-match")
    }

    @Test
    fun `requireArgs true skips rows with a NULL mapped value, false keeps them`() {
        start(
            invalidateOn(Parts, "shop-required") { namespace(ns); partition(Parts.shop) },
            invalidateOn(Parts, "shop-optional") { function(shopPart); map("part_id" to Parts.id, "shop" to Parts.shop); requireArgs = false },
        )
        warm()
        runBlocking { shopPart(ShopPart(3_000, null)); shopPart(ShopPart(1, 1)) }
        transaction(db) { Parts.insert { it[id] = 3_000; it[name] = "x"; it[price] = 1; it[shop] = null } }
        assertEquals(listOf(0, 1, 2, 3), cachedParts(), "shop is required: a NULL shop does not fire")
        assertIs<CacheLookup.Missing>(runBlocking { shopPart.getCacheOnly(ShopPart(3_000, null)) }, "optional: the NULL partition goes")
        assertIs<CacheLookup.Found<String>>(runBlocking { shopPart.getCacheOnly(ShopPart(1, 1)) })
    }

    @Test
    fun `requireArgs with names requires only those, and an uncaptured mapped column widens`() {
        start(invalidateOn(Parts) { function(shopPart); map("part_id" to Parts.id, "shop" to Parts.shop); requireArgs(listOf("part_id")) })
        runBlocking { shopPart(ShopPart(3_001, null)); shopPart(ShopPart(1, 1)); shopPart(ShopPart(2, 2)) }
        transaction(db) { Parts.insert { it[id] = 3_001; it[name] = "x"; it[price] = 1; it[shop] = null } }
        assertIs<CacheLookup.Missing>(runBlocking { shopPart.getCacheOnly(ShopPart(3_001, null)) }, "shop may be NULL")
        assertIs<CacheLookup.Found<String>>(runBlocking { shopPart.getCacheOnly(ShopPart(1, 1)) })
        transaction(db) { Parts.update({ Parts.id eq 1 }) { it[price] = 2 } }
        assertIs<CacheLookup.Missing>(runBlocking { shopPart.getCacheOnly(ShopPart(2, 2)) }, "the shop is unknown: invalidateAll")
        assertEquals(1.0, count("restflow.invalidation.widened", "reason", "rows_unknown"))
    }

    @Test
    fun `a response-cache rule with rewarm falls back to delete`() {
        start(nsRule { rewarm = true })
        warm()
        transaction(db) { Parts.update({ Parts.id eq 1 }) { it[price] = 1 } }
        assertEquals(listOf(0, 2, 3), cachedParts())
    }

    @Test
    fun `every DSL and DAO write kind evicts (R-36)`() {
        start(nsRule())
        // kind, the id whose partition must go, the write
        val writes: List<Triple<String, Int, () -> Unit>> = listOf(
            Triple("insert", 1_001) { Parts.insert { it[id] = 1_001; it[name] = "i"; it[price] = 1 }; Unit },
            Triple("batchInsert", 1_003) { Parts.batchInsert(listOf(1_002, 1_003)) { n -> this[Parts.id] = n; this[Parts.name] = "b"; this[Parts.price] = 1 }; Unit },
            Triple("update", 1) { Parts.update({ Parts.id eq 1 }) { it[price] = 2 }; Unit },
            Triple("range update", 2) { Parts.update({ Parts.price greater 0 }) { it[price] = 3 }; Unit },
            Triple("upsert", 1) { Parts.upsert { it[id] = 1; it[name] = "u"; it[price] = 4 }; Unit },
            Triple("deleteWhere", 1_001) { Parts.deleteWhere { Parts.id eq 1_001 }; Unit },
            Triple("DAO new", 1_004) { Part.new(1_004) { name = "n"; price = 5 }; Unit },
            Triple("DAO update", 1) { Part[1].price = 6 },
            Triple("DAO delete", 1_004) { Part[1_004].delete() },
        )
        for ((kind, id, write) in writes) {
            val key = CacheEntryKey.of(ns, "get-$id", "$id")
            runBlocking { cache.set(key, byteArrayOf(1), 5.minutes) }
            transaction(db) { write() }
            assertIs<CacheRead.Miss>(runBlocking { cache.get(key) }, "$kind did not evict part $id")
        }
    }

    @Test
    fun `a rollback delivers nothing, and eviction happens strictly after the commit`() {
        val seenCommitted = CopyOnWriteArrayList<Int>()
        start(nsRule { dispatcher = "probe" }) {
            registerDispatcher("probe") { batch, context ->
                // another connection sees the new price: the transaction has committed
                thread { seenCommitted += transaction(db) { Parts.selectAll().where { Parts.id eq 1 }.single()[Parts.price] } }.join()
                context.apply(batch)
            }
        }
        warm()
        transaction(db) {
            Parts.update({ Parts.id eq 1 }) { it[price] = 77 }
            rollback()
        }
        assertFailsWith<IllegalStateException> {
            transaction(db) {
                Parts.update({ Parts.id eq 1 }) { it[price] = 78 }
                error("boom")
            }
        }
        assertEquals(listOf(0, 1, 2, 3), cachedParts())
        assertEquals(emptyList(), seenCommitted.toList())
        transaction(db) {
            Parts.update({ Parts.id eq 1 }) { it[price] = 79 }
            assertEquals(listOf(0, 1, 2, 3), cachedParts(), "nothing before the commit")
        }
        assertEquals(listOf(79), seenCommitted.toList())
        assertEquals(listOf(0, 2, 3), cachedParts())
    }

    @Test
    fun `errors resolve rule, then dispatcher, then registry`() {
        val failing = CustomInvalidator { error("cache down") }
        fun rule(raise: Boolean?, dispatcher: String?) =
            invalidateOn(Parts, "failing") { invalidator(failing); raiseException = raise; this.dispatcher = dispatcher }
        fun commitRaises(): Boolean {
            var raised = false
            try {
                transaction(db) { Parts.update({ Parts.id eq 1 }) { it[price] = 5 } }
            } catch (e: InvalidationException) {
                assertEquals(listOf("failing"), e.rules)
                raised = true
            }
            registry?.close()
            return raised
        }
        val strict: InvalidationRegistryBuilder.() -> Unit = { registerDispatcher("strict", raiseException = true) { b, c -> c.apply(b) } }
        val lenient: InvalidationRegistryBuilder.() -> Unit = { registerDispatcher("lenient", raiseException = false) { b, c -> c.apply(b) } }

        start(rule(null, null))
        assertFalse(commitRaises(), "default: logged and counted")
        assertEquals(1.0, count("restflow.invalidation.failures", "rule", "failing"))
        start(rule(null, null)) { raiseException = true }
        assertTrue(commitRaises(), "the registry says raise")
        start(rule(false, null)) { raiseException = true }
        assertFalse(commitRaises(), "the rule wins over the registry")
        start(rule(null, "strict"), configure = strict)
        assertTrue(commitRaises(), "the dispatcher wins over the registry")
        start(rule(false, "strict"), configure = strict)
        assertFalse(commitRaises(), "the rule wins over the dispatcher")
        start(rule(true, "lenient"), configure = lenient)
        assertTrue(commitRaises())
        assertEquals(1, transaction(db) { Parts.selectAll().where { Parts.id eq 1 }.count() }.toInt(), "the writes committed")
    }

    @Test
    fun `unknown dispatchers and duplicate names fail at start-up`() {
        val e = assertFailsWith<IllegalArgumentException> { start(nsRule { dispatcher = "kafka" }) }
        assertTrue("kafka" in e.message!! && "inline, threadpool, coroutine" in e.message!!, e.message)
        assertFailsWith<IllegalArgumentException> { start(nsRule()) { defaultDispatcher = "nope" } }
        assertFailsWith<IllegalArgumentException> { start(nsRule(), nsRule()) }
        assertFailsWith<IllegalArgumentException> { start(nsRule()) { threadPool(onFull = QueueFullPolicy.SPILL, spillTo = "nowhere") } }
        assertFailsWith<IllegalArgumentException> { invalidateOn(Parts) { function(shopPart); map("part_id" to Parts.id) } }
        assertFailsWith<IllegalArgumentException> { invalidateOn(Parts) { function(summary); map("part_id" to Parts.id); rewarm = true } }
        registry = null
        warm()
        transaction(db) { Parts.update({ Parts.id eq 1 }) { it[price] = 1 } }
        assertEquals(listOf(0, 1, 2, 3), cachedParts(), "a rejected registry left no listener behind")
    }

    @Test
    fun `batch true coalesces a commit's rules into one dispatch per dispatcher`() {
        val batches = CopyOnWriteArrayList<InvalidationBatch>()
        val record: InvalidationRegistryBuilder.() -> Unit = { registerDispatcher("record") { b, c -> batches += b; c.apply(b) } }
        start(nsRule { dispatcher = "record"; batch = true }, invalidateOn(Parts, "shops") { namespace(ns); partition(Parts.shop); dispatcher = "record"; batch = true }, configure = record)
        transaction(db) { Parts.insert { it[name] = "a"; it[price] = 1; it[shop] = 1 } }
        assertEquals(1, batches.size)
        assertEquals(listOf("inv_parts->$ns", "shops"), batches.single().items.map { it.rule })
        registry?.close()
        batches.clear()
        start(nsRule { dispatcher = "record" }, invalidateOn(Parts, "shops") { namespace(ns); partition(Parts.shop); dispatcher = "record" }, configure = record)
        transaction(db) { Parts.insert { it[name] = "b"; it[price] = 1; it[shop] = 1 } }
        assertEquals(2, batches.size)
        assertEquals(1, batches.map { it.id.substringBeforeLast('-') }.distinct().size, "one commit")
    }

    @Test
    fun `an encoded batch is applied by another registry by rule name`() {
        val outbox = CopyOnWriteArrayList<String>()
        start(nsRule { dispatcher = "store" }, summaries) {
            defaultDispatcher = "store"
            registerDispatcher("store") { batch, _ -> outbox += batch.encode() } // a durable queue would go here
        }
        warm()
        runBlocking { summary(1) }
        transaction(db) { Parts.update({ Parts.id eq 1 }) { it[price] = 11 } }
        assertEquals(listOf(0, 1, 2, 3), cachedParts(), "stored, not applied")
        assertEquals(2, outbox.size)
        val elsewhere = Database.connect("jdbc:h2:mem:elsewhere-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
        // region worker
        val worker = invalidationRegistry(cache, elsewhere) { rule(nsRule { dispatcher = "store" }, summaries); registerDispatcher("store") { _, _ -> } }
        outbox.forEach(worker::applyEncoded) // e.g. in a stream consumer or an outbox relay
        // endregion
        worker.applyEncoded(outbox.first()) // applying twice is harmless
        worker.close()
        assertEquals(listOf(0, 2, 3), cachedParts())
        assertEquals("part 1 costs 11", cachedSummary(1), "rewarmed by the worker")
        val unknown = InvalidationBatch("x", "store", 0, listOf(InvalidationWork("no-such-rule", true)))
        assertFailsWith<InvalidationException> { registry!!.apply(unknown) }
        assertFailsWith<IllegalArgumentException> { registry!!.applyEncoded("{not a batch") }
    }

    @Test
    fun `a before-commit dispatcher writes its batch in the transaction, and a relay applies it`() {
        // region outbox
        val outbox = object : InvalidationDispatcher {
            override val name = "outbox"
            override val phase = DispatchPhase.BEFORE_COMMIT // inside the transaction: the row commits with the change
            override val durable = true
            override fun dispatch(batch: InvalidationBatch, context: DispatchContext) {
                PartOutbox.insert { it[PartOutbox.batch] = batch.encode() }
            }
        }
        // endregion
        start(nsRule { dispatcher = "outbox" }) { dispatcher(outbox) }
        warm()
        transaction(db) {
            Parts.update({ Parts.id eq 1 }) { it[price] = 5 }
            rollback()
        }
        transaction(db) { Parts.update({ Parts.id eq 2 }) { it[price] = 5 } }
        val rows = transaction(db) { PartOutbox.selectAll().map { it[PartOutbox.batch] } }
        assertEquals(1, rows.size, "one row, for the committed transaction only")
        assertEquals(listOf(0, 1, 2, 3), cachedParts(), "nothing applied yet")
        assertTrue(registry!!.awaitIdle(1.seconds), "durable dispatchers are not waited for")
        rows.forEach(registry!!::applyEncoded) // the relay
        assertEquals(listOf(0, 1, 3), cachedParts())
        assertEquals(DispatchPhase.BEFORE_COMMIT, registry!!.status().dispatchers.single { it.name == "outbox" }.phase)
    }

    @Test
    fun `status lists rules per table and dispatchers with their pending work`() {
        val status = start(nsRule(), invalidateOn(Parts, "pooled") { namespace(ns); dispatcher = "threadpool" }).status()
        assertEquals(mapOf("inv_parts" to listOf("inv_parts->$ns", "pooled")), status.rulesByTable)
        assertEquals("inline", status.defaultDispatcher)
        assertEquals(listOf("inline", "threadpool", "coroutine"), status.dispatchers.map { it.name })
        assertEquals(listOf("pooled"), status.dispatchers[1].rules)
        assertEquals(0, status.dispatchers[1].pending)
    }

    @Test
    fun `a full queue widens, spills or blocks, never drops, and says so in a metric (R-38)`() {
        for (policy in QueueFullPolicy.entries) {
            val entered = CountDownLatch(1)
            val release = CountDownLatch(1)
            val seen = CopyOnWriteArrayList<InvalidationWork>()
            val spilled = CopyOnWriteArrayList<InvalidationBatch>()
            val slow = invalidateOn(Parts, "slow") {
                dispatcher = "threadpool"
                map("id" to Parts.id)
                invalidator { work ->
                    if (seen.isEmpty()) { seen += work; entered.countDown(); release.await(30, TimeUnit.SECONDS) } else seen += work
                }
            }
            start(slow) {
                threadPool(maxWorkers = 1, queueCapacity = 1, onFull = policy, spillTo = if (policy == QueueFullPolicy.SPILL) "spill" else null)
                registerDispatcher("spill") { b, _ -> spilled += b }
            }
            transaction(db) { Parts.update({ Parts.id eq 1 }) { it[price] = 1 } }
            assertTrue(entered.await(30, TimeUnit.SECONDS))
            val second = thread { transaction(db) { Parts.update({ Parts.id eq 2 }) { it[price] = 2 } } }
            while (count("restflow.invalidation.queue.full", "policy", policy.name.lowercase()) < 1.0) Thread.sleep(5)
            if (policy != QueueFullPolicy.BLOCK) second.join()
            release.countDown()
            second.join()
            assertTrue(registry!!.awaitIdle(30.seconds))
            when (policy) {
                QueueFullPolicy.WIDEN -> {
                    assertEquals(listOf(false, true), seen.map { it.whole }, "the second commit flushed the whole target")
                    assertEquals(1.0, count("restflow.invalidation.widened", "reason", "queue_full"))
                }
                QueueFullPolicy.SPILL -> assertEquals(listOf(mapOf("id" to "2")), spilled.single().items.single().args)
                QueueFullPolicy.BLOCK -> assertEquals(listOf(listOf(mapOf("id" to "1")), listOf(mapOf("id" to "2"))), seen.map { it.args })
            }
            registry?.close()
        }
    }

    @Test
    fun `a read that loaded the old row before a write cannot store it after the invalidation (R-35)`() {
        start(invalidateOn(Parts) { function(summary); map("part_id" to Parts.id) })
        val read = CountDownLatch(1)
        val release = CountDownLatch(1)
        loaderGate = read to release
        var old: String? = null
        val reader = thread { old = runBlocking { summary(1) } }
        assertTrue(read.await(30, TimeUnit.SECONDS), "the reader loaded the old row")
        loaderGate = null
        transaction(db) { Parts.update({ Parts.id eq 1 }) { it[price] = 99 } } // evicts after commit
        release.countDown()
        reader.join()
        assertEquals("part 1 costs 10", old, "the reader started before the write")
        assertEquals(null, cachedSummary(1), "its value was not stored after the invalidation")
        assertEquals("part 1 costs 99", runBlocking { summary(1) })
        assertEquals("part 1 costs 99", cachedSummary(1), "after quiescence cache == database")
    }
}

class H2InvalidationRegistryTest : InvalidationRegistryContract() {
    override val db: Database =
        Database.connect("jdbc:h2:mem:registry-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")

    override fun newBackend(): CacheBackend = InMemoryCacheBackend.builder().build()
}

/** PostgreSQL with a real Redis backend. */
class PostgresRedisInvalidationRegistryTest : InvalidationRegistryContract() {
    override val db: Database get() = shared

    override fun newBackend(): CacheBackend = RedisCacheBackend.builder(TestServices.redisUri()).build()

    private companion object {
        val shared: Database by lazy {
            val pg = TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}

/** H2 with the two-tier backend (Caffeine in front of a real Redis). */
class H2TwoTierInvalidationRegistryTest : InvalidationRegistryContract() {
    override val db: Database =
        Database.connect("jdbc:h2:mem:registry2-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")

    override fun newBackend(): CacheBackend =
        TwoTierCacheBackend.builder(RedisCacheBackend.builder(TestServices.redisUri()).build()).channel("inv-${UUID.randomUUID()}").build()
}
