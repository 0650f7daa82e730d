package dev.restflow.cache.docs

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.function.CacheLookup
import dev.restflow.cache.function.CacheStatus
import dev.restflow.cache.function.cached
import dev.restflow.cache.key.KeyHashAlgorithm
import dev.restflow.cache.key.cacheKey
import dev.restflow.cache.memory.InMemoryCacheBackend
import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.cache.twotier.TwoTierCacheBackend
import dev.restflow.testing.TestServices
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable
import java.time.Duration
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/** The snippets of docs/caching.md; each region is checked verbatim against the page by the docs module. */
class CachingSnippets {
    @Serializable
    data class UserOut(val id: Long, val name: String)

    class UserQuery(val userId: Long, val lang: String, val query: Map<String, List<String>> = emptyMap())

    private val users = mutableMapOf(1L to "Ann", 2L to "Bob")

    private fun loadUser(q: UserQuery): UserOut? = users[q.userId]?.let { UserOut(q.userId, it) }

    @Test
    fun `backends are built from builders`() {
        // region backends
        val inMemory: CacheBackend = InMemoryCacheBackend.builder()
            .maximumSize(50_000)
            .build()

        val redis = RedisCacheBackend.builder(TestServices.redisUri())
            .commandTimeout(Duration.ofMillis(50)) // the default; Lettuce's own is 60 s
            .failureThreshold(5) // consecutive failures that open the circuit breaker
            .openDuration(Duration.ofSeconds(5))
            .build()

        val twoTier: CacheBackend = TwoTierCacheBackend.builder(redis) // owns `redis` from here on
            .l1Ttl(Duration.ofSeconds(5)) // bounds staleness if an invalidation message is lost
            .build()
        // endregion
        inMemory.close()
        twoTier.close()
    }

    @Test
    fun `a key constructor renders canonical keys`() {
        // region key-constructor
        val userKey = cacheKey<UserQuery>("users") {
            function("get-user")
            version("2")
            partition("user_id") { it.userId }
            constant("v", "1")
            part("lang") { it.lang }
            params("q", only = listOf("page", "size")) { it.query }
            fingerprint(UserOut.serializer())
            maxSuffixLength(200)
            hashOnOverflow(KeyHashAlgorithm.BLAKE2B)
        }

        val a = userKey.render(UserQuery(5, "en", mapOf("page" to listOf("2"), "size" to listOf("20"))))
        val b = userKey.render(UserQuery(5, "en", mapOf("size" to listOf("20"), "page" to listOf("2"))))
        check(a == b) // ?page=2&size=20 and ?size=20&page=2 share an entry
        // endregion
        assertEquals(a.substringAfter("::user_id=5::"), "v=1&lang=en&q.page=2&q.size=20")
    }

    @Test
    fun `a cached function loads once and then hits`() = runBlocking<Unit> {
        val backend = InMemoryCacheBackend.create()
        val userKey = cacheKey<UserQuery>("users") { partition("user_id") { it.userId } }
        // region cached-function
        val getUser = backend.cached(userKey, ttl = 5.minutes) { q -> loadUser(q) }

        val user: UserOut? = getUser(UserQuery(1, "en")) // MISS: loads and stores
        val again = getUser.getWithMetadata(UserQuery(1, "en"))
        check(again.status == CacheStatus.HIT && again.value == user)

        when (val cached = getUser.getCacheOnly(UserQuery(2, "en"))) {
            is CacheLookup.Found -> println("cached ${cached.value} at ${cached.cachedAt}")
            CacheLookup.Missing -> println("not cached") // never loads
        }

        getUser.delete(UserQuery(1, "en")) // one entry
        getUser.deleteByPartition(mapOf("user_id" to 1L)) // every entry of user 1 in "users"
        getUser.invalidateAll() // the whole namespace, O(1)
        // endregion
        assertEquals(CacheStatus.MISS, getUser.getWithMetadata(UserQuery(1, "en")).status)
        backend.close()
    }

    @Test
    fun `options go in the configure block`() = runBlocking<Unit> {
        val backend = InMemoryCacheBackend.create()
        val userKey = cacheKey<UserQuery>("users-swr") { partition("user_id") { it.userId } }
        // region options
        val getUser = backend.cached(userKey, ttl = 1.minutes, {
            staleFor(30.seconds) // serve STALE for 30 s past the TTL while one background load refreshes
            cacheIf { it != null } // do not store misses of the database
        }) { q -> loadUser(q) }
        // endregion
        getUser(UserQuery(404, "en"))
        assertIs<CacheLookup.Missing>(getUser.getCacheOnly(UserQuery(404, "en")))
        backend.close()
    }
}
