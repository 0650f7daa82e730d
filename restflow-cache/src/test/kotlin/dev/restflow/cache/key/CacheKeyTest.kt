package dev.restflow.cache.key

import kotlinx.serialization.Serializable
import kotlin.random.Random
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue

class CacheKeyTest {
    class Query(val userId: Long?, val lang: String, val tags: List<String> = emptyList(), val query: Map<String, List<String>> = emptyMap())

    private val key = cacheKey<Query>("users") {
        function("get-user")
        partition("user_id") { it.userId }
        constant("v", "1")
        part("lang") { it.lang }
        multi("tags") { it.tags }
        params("q") { it.query }
    }

    @Test
    fun `the key follows namespace, function, partition and suffix layout with the version inside`() {
        val k = key.entryKey(Query(5, "en", listOf("b", "a"), mapOf("page" to listOf("2"))))
        assertEquals("users::get-user@1::user_id=5::v=1&lang=en&tags*=a,b&q.page=2", k.id)
        assertEquals("users", k.namespace)
        assertEquals("user_id=5", k.partition)
    }

    @Test
    fun `a different version makes a different key`() {
        val v2 = cacheKey<Query>("users") { function("get-user"); version("2"); partition("user_id") { it.userId } }
        val v1 = cacheKey<Query>("users") { function("get-user"); partition("user_id") { it.userId } }
        assertNotEquals(v1.render(Query(1, "en")), v2.render(Query(1, "en")))
    }

    @Test
    fun `query params and multi-values are canonical whatever their order`() {
        val a = key.render(Query(1, "en", listOf("x", "y"), linkedMapOf("a" to listOf("1"), "b" to listOf("2", "1"))))
        val b = key.render(Query(1, "en", listOf("y", "x"), linkedMapOf("b" to listOf("1", "2"), "a" to listOf("1"))))
        assertEquals(a, b)
    }

    @Test
    fun `params outside the selected names are ignored`() {
        val k = cacheKey<Map<String, List<String>>>("p") { params("q", listOf("page", "size")) { it } }
        assertEquals(k.render(mapOf("page" to listOf("1"))), k.render(mapOf("page" to listOf("1"), "utm" to listOf("x"))))
        assertNotEquals(k.render(mapOf("page" to listOf("1"))), k.render(mapOf("page" to listOf("2"))))
    }

    @Test
    fun `separators inside values are escaped so shifted parts never collide`() {
        val k = cacheKey<Pair<String, String>>("n") { part("a") { it.first }; part("b") { it.second } }
        assertNotEquals(k.render("a:b" to "c"), k.render("a" to "b:c"))
        assertNotEquals(k.render("x&b=y" to ""), k.render("x" to "y"))
    }

    @Test
    fun `null, empty and the text null are three different values`() {
        val k = cacheKey<String?>("n") { part("a") { it } }
        assertEquals(3, setOf(k.render(null), k.render(""), k.render("null")).size)
    }

    @Test
    fun `no collisions over random part lists`() {
        val random = Random(20261122)
        val alphabet = "ab:=&,.|#%~*+@ \u00e9"
        fun text() = String(CharArray(random.nextInt(0, 5)) { alphabet[random.nextInt(alphabet.length)] })
        class Args(val p: String?, val s: String?, val m: List<String?>, val q: Map<String, List<String>>)
        val k = cacheKey<Args>("ns:x") {
            partition("p") { it.p }
            part("s") { it.s }
            multi("m") { it.m }
            params("q") { it.q }
            maxSuffixLength(10_000)
        }
        val seen = HashMap<String, List<Any?>>()
        repeat(50_000) {
            val args = Args(
                text().takeIf { random.nextInt(6) > 0 },
                text().takeIf { random.nextInt(6) > 0 },
                List(random.nextInt(3)) { text().takeIf { random.nextInt(6) > 0 } },
                List(random.nextInt(3)) { text() to List(random.nextInt(3)) { text() } }.toMap(),
            )
            val canonical = listOf(args.p, args.s, args.m.sortedBy { it ?: "\u0000null" }, args.q.mapValues { it.value.sorted() })
            val previous = seen.put(k.render(args), canonical)
            assertTrue(previous == null || previous == canonical, "collision: $previous and $canonical -> ${k.render(args)}")
        }
    }

    @Test
    fun `a suffix over the maximum length is hashed with the named algorithm`() {
        for ((algorithm, length) in listOf(
            KeyHashAlgorithm.SHA256 to 64, KeyHashAlgorithm.SHA512 to 128, KeyHashAlgorithm.MD5 to 32, KeyHashAlgorithm.BLAKE2B to 64,
        )) {
            val k = cacheKey<String>("n") { part("a") { it }; maxSuffixLength(10); hashOnOverflow(algorithm) }
            assertEquals("n::default@1::::a=short", k.render("short"))
            val long = k.render("x".repeat(50))
            val expectedDigest = algorithm.hash("a=${"x".repeat(50)}".toByteArray())
            assertEquals("n::default@1::::#${algorithm.name}-$expectedDigest", long)
            assertEquals(length, expectedDigest.length)
            assertNotEquals(long, k.render("x".repeat(51)))
        }
    }

    @Test
    fun `a suffix over the maximum length is truncated when asked`() {
        val k = cacheKey<String>("n") { part("a") { it }; maxSuffixLength(6); truncateOnOverflow() }
        assertEquals("n::default@1::::a=xxxx", k.render("x".repeat(50)))
    }

    @Test
    fun `a custom hash algorithm is used and its name is in the key`() {
        val k = cacheKey<String>("n") { part("a") { it }; maxSuffixLength(1); hashOnOverflow(KeyHashAlgorithm.of("len") { "${it.size}" }) }
        assertEquals("n::default@1::::#len-4", k.render("xx"))
    }

    @Test
    fun `blake2b matches the reference digests`() {
        assertEquals("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319", KeyHashAlgorithm.BLAKE2B.hash("abc".toByteArray()))
        assertEquals("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8", KeyHashAlgorithm.BLAKE2B.hash(ByteArray(0)))
        assertEquals("6b6e59aaf00eb730cf93de53560846722184bbd92f8368c21ffa95380c2f9fe6", KeyHashAlgorithm.BLAKE2B.hash(ByteArray(200) { 'a'.code.toByte() }))
        assertEquals(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            Blake2b.digest("abc".toByteArray(), 64).toHex(),
        )
        val block3 = ByteArray(768) { it.toByte() }
        assertEquals("b8007121274217790e2923e0ad7027986e5a99d5531ef6ae7d294140fc81615d", Blake2b.digest(block3, 32).toHex())
    }

    @Serializable
    class UserV1(val id: Long, val name: String)

    @Serializable
    class UserV2(val id: Long, val name: String, val email: String? = null)

    @Test
    fun `a schema fingerprint changes the key when the cached type's shape changes`() {
        val v1 = cacheKey<Long>("u") { part("id") { it }; fingerprint(UserV1.serializer()) }
        val v2 = cacheKey<Long>("u") { part("id") { it }; fingerprint(UserV2.serializer()) }
        val v1Again = cacheKey<Long>("u") { part("id") { it }; fingerprint(UserV1.serializer()) }
        assertNotEquals(v1.render(1), v2.render(1))
        assertEquals(v1.render(1), v1Again.render(1))
    }

    @Test
    fun `a partition is rendered from explicit values too`() {
        assertEquals(key.partition(Query(7, "en")), key.partitionOf(mapOf("user_id" to 7)))
        assertFailsWith<IllegalArgumentException> { key.partitionOf(mapOf("nope" to 1)) }
        assertFailsWith<IllegalArgumentException> { key.partitionOf(emptyMap()) }
    }

    @Test
    fun `declaring a part twice is refused with a clear message`() {
        val e = assertFailsWith<IllegalArgumentException> { cacheKey<String>("n") { part("a") { it }; partition("a") { it } } }
        assertEquals("the key part 'a' is declared twice", e.message)
    }
}
