package dev.restflow.exposed.invalidation

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.function.CacheLookup
import dev.restflow.cache.function.CachedFunction
import dev.restflow.cache.function.cached
import dev.restflow.cache.key.cacheKey
import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.cache.stream.RedisStreamQueue
import dev.restflow.cache.stream.RedisStreamWorker
import dev.restflow.cache.twotier.TwoTierCacheBackend
import dev.restflow.testing.TestServices
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.dao.IntEntity
import org.jetbrains.exposed.v1.dao.IntEntityClass
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.time.Duration
import java.util.UUID
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

object Gizmos : IntIdTable("inv_gizmos") {
    val price = integer("price")
}

class Gizmo(id: EntityID<Int>) : IntEntity(id) {
    companion object : IntEntityClass<Gizmo>(Gizmos)

    var price by Gizmos.price
}

/**
 * Two application instances sharing one PostgreSQL and one Redis (issue 6: "a write on A evicts B's two-tier L1").
 * Each instance has its own `Database`, its own [TwoTierCacheBackend] (its own in-process L1) and its own
 * [InvalidationRegistry] declaring the same rules: a cached function and a response-cache namespace over gizmos.
 * Both instances read gizmos 1..3 so that B's L1 holds them; then A commits a DSL update of gizmo 1 and a DAO update
 * of gizmo 2, and B's next reads of them miss and return the new prices, while gizmo 3 stays cached on B.
 *
 * Dispatchers: `inline` on A (A evicts before its commit returns; B's L1 goes by A's pub/sub broadcast), and
 * `redis-stream` with the worker on B only or on both instances (one worker of the group applies each batch).
 */
class TwoInstancesSharingRedisTest {
    private val ns = "gizmo-pages-" + UUID.randomUUID().toString().take(8)
    private val channel = "rf:two-instances:" + UUID.randomUUID()
    private val stream = "two-instances-" + UUID.randomUUID()
    private val closing = ArrayList<AutoCloseable>()

    /** One application instance: its database handle, two-tier cache, cached function and registry. */
    private inner class Instance(val name: String, dispatcher: String, queue: RedisStreamQueue?) {
        val db: Database = Database.connect(Shared.pg.jdbcUrl, "org.postgresql.Driver", Shared.pg.user, Shared.pg.password)
        val cache: TwoTierCacheBackend = TwoTierCacheBackend.builder(redis()).channel(channel)
            .l1Ttl(Duration.ofMinutes(10)) // only an invalidation can take an entry out of L1 during the test
            .build().also { closing += it }
        val price: CachedFunction<Int, String> = cache.cached(priceKey(ns), 10.minutes) { id: Int ->
            "gizmo $id costs " + transaction(db) { Gizmos.selectAll().where { Gizmos.id eq id }.single()[Gizmos.price] }
        }
        val streamDispatcher = queue?.let { RedisStreamDispatcher(it) }
        val registry: InvalidationRegistry = invalidationRegistry(cache, db) {
            rule(
                invalidateOn(Gizmos, "gizmo-pages") { namespace(ns); partition(Gizmos.id) },
                invalidateOn(Gizmos, "gizmo-prices") { function(price); map("gizmo_id" to Gizmos.id) },
            )
            streamDispatcher?.let { dispatcher(it) }
            defaultDispatcher = dispatcher
        }.also { closing += it }

        /** What the response cache would serve for gizmo [id], or `null` on a miss. */
        fun page(id: Int): String? = runBlocking { (cache.get(pageKey(id)) as? CacheRead.Hit)?.value?.decodeToString() }

        fun cachedPrice(id: Int): String? = runBlocking { (price.getCacheOnly(id) as? CacheLookup.Found)?.value }

        /** Populates this instance's entries for gizmo [id] the way a request would (a miss stores, a hit fills L1). */
        fun read(id: Int) = runBlocking {
            price(id)
            price(id) // the second call is an L2 hit, kept in L1
            if (cache.get(pageKey(id)) !is CacheRead.Hit) {
                cache.set(pageKey(id), "page of ${price(id)}".toByteArray(), 10.minutes)
            }
            cache.get(pageKey(id))
        }

        fun worker(consumer: String): RedisStreamWorker = streamDispatcher!!.worker(registry).group("gizmos").consumer(consumer)
            .pollInterval(Duration.ofMillis(50)).build().also { it.start(); closing.add(0, it) }
    }

    private fun redis() = RedisCacheBackend.builder(TestServices.redisUri()).build()

    private fun pageKey(id: Int) = CacheEntryKey.of(ns, "get-$id", "$id")

    @AfterTest
    fun close() {
        for (c in closing) c.close()
    }

    private fun seed() {
        val db = Database.connect(Shared.pg.jdbcUrl, "org.postgresql.Driver", Shared.pg.user, Shared.pg.password)
        transaction(db) {
            SchemaUtils.drop(Gizmos)
            SchemaUtils.create(Gizmos)
            Gizmos.batchInsert(1..3) { n -> this[Gizmos.id] = n; this[Gizmos.price] = 10 * n }
        }
    }

    /**
     * Proves B's L1 holds the entries: Redis (L2) is overwritten behind the instances' backs (no broadcast), and B
     * still serves what it read before.
     */
    private fun overwriteRedisBehindTheInstances() = runBlocking {
        val raw = redis()
        val rawPrice = raw.cached(priceKey(ns), 10.minutes) { _: Int -> "only in redis" }
        for (id in 1..3) {
            raw.set(pageKey(id), "only in redis".toByteArray(), 10.minutes)
            rawPrice.refresh(id)
        }
        raw.close()
    }

    /** Polls [condition] (cheap: L1 reads) until it holds, failing with [what] after 30 s. */
    private fun awaitUntil(what: String, condition: () -> Boolean) = runBlocking {
        val met = withTimeoutOrNull(30.seconds) {
            while (!condition()) delay(5)
            true
        }
        if (met == null) throw AssertionError("Timed out after 30 s waiting until $what")
    }

    private fun scenario(dispatcher: String, workersOn: List<String> = emptyList()) {
        seed()
        val queue = { if (dispatcher == RedisStreamDispatcher.NAME) RedisStreamQueue.builder(TestServices.redisUri()).name(stream).build().also { closing += it } else null }
        val a = Instance("A", dispatcher, queue())
        val b = Instance("B", dispatcher, queue())
        for (name in workersOn) (if (name == "A") a else b).worker(name)
        for (id in 1..3) b.read(id)
        for (id in 1..3) a.read(id)
        overwriteRedisBehindTheInstances()
        for (id in 1..3) {
            assertEquals("gizmo $id costs ${10 * id}", b.cachedPrice(id), "B's L1 holds gizmo $id's price")
            assertEquals("page of gizmo $id costs ${10 * id}", b.page(id), "B's L1 holds gizmo $id's page")
        }

        transaction(a.db) { Gizmos.update({ Gizmos.id eq 1 }) { it[price] = 11 } } // DSL
        transaction(a.db) { Gizmo[2].price = 22 } // DAO
        if (dispatcher == InlineDispatcher.NAME) {
            for (id in 1..2) {
                assertEquals(null, a.cachedPrice(id), "inline: A evicted gizmo $id before its commit returned")
                assertEquals(null, a.page(id))
            }
        }
        for (id in 1..2) {
            awaitUntil("B's L1 drops gizmo $id (dispatcher $dispatcher, workers on $workersOn)") {
                b.cachedPrice(id) == null && b.page(id) == null
            }
        }
        assertEquals("gizmo 1 costs 11", runBlocking { b.price(1) }, "B's next read is a miss returning fresh data")
        assertEquals("gizmo 2 costs 22", runBlocking { b.price(2) })
        assertEquals("gizmo 3 costs 30", b.cachedPrice(3), "an unchanged gizmo stays in B's L1")
        assertEquals("page of gizmo 3 costs 30", b.page(3))
        awaitUntil("A's cache drops gizmos 1 and 2") { a.page(1) == null && a.page(2) == null }
        assertEquals("gizmo 2 costs 22", runBlocking { a.price(2) })
        assertIs<CacheLookup.Found<String>>(runBlocking { a.price.getCacheOnly(3) })
    }

    @Test
    fun `inline on A, a DSL and a DAO update on A evict B's two-tier L1`() = scenario(InlineDispatcher.NAME)

    @Test
    fun `redis-stream with the worker on B, a DSL and a DAO update on A evict B's two-tier L1`() =
        scenario(RedisStreamDispatcher.NAME, workersOn = listOf("B"))

    @Test
    fun `redis-stream with workers on both instances, a DSL and a DAO update on A evict B's two-tier L1`() =
        scenario(RedisStreamDispatcher.NAME, workersOn = listOf("A", "B"))

    private object Shared {
        val pg = TestServices.newPostgresDatabase()
    }

    private companion object {
        fun priceKey(ns: String) = cacheKey<Int>("$ns-fn") { function("price"); partition("gizmo_id") { it } }
    }
}
