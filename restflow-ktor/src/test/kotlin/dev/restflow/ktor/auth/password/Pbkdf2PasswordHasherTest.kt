package dev.restflow.ktor.auth.password

import kotlin.random.Random
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue

class Pbkdf2PasswordHasherTest {
    private val hasher = Pbkdf2PasswordHasher(iterations = 1000)

    @Test
    fun `hashes match Django's pbkdf2_sha256 vectors byte for byte`() {
        // Django's own test vector (django/tests/auth_tests/test_hashers.py, 1,000,000 rounds, non-ASCII password),
        // and values computed with Python's hashlib.pbkdf2_hmac, which Django's hasher calls.
        assertEquals(
            "pbkdf2_sha256\$1000000\$seasalt\$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=",
            hasher.hash("lètmein", "seasalt", 1_000_000),
        )
        assertEquals(
            "pbkdf2_sha256\$100000\$seasalt\$BNZ6eyaNc8qFTJPjrAq99hSYb73EgAdytAtdBg2Sdcc=",
            hasher.hash("lètmein", "seasalt", 100_000),
        )
        assertEquals(
            "pbkdf2_sha256\$1000\$abcdefghijklmnopqrstuv\$4jyLpFSj9AOqdSyzqtDi/ik5j0SK7DrYGbBYb0hnLxs=",
            hasher.hash("admin-pass", "abcdefghijklmnopqrstuv", 1000),
        )
    }

    @Test
    fun `a hash verifies against its password only`() {
        val encoded = hasher.hash("alice-pass")
        assertTrue(encoded.startsWith("pbkdf2_sha256\$1000\$"))
        assertTrue(hasher.verify("alice-pass", encoded))
        assertFalse(hasher.verify("alice-pass ", encoded))
        assertFalse(hasher.verify("bob-pass", encoded))
    }

    @Test
    fun `hashes made with another iteration count verify and ask for a rehash`() {
        val django = "pbkdf2_sha256\$1000000\$seasalt\$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps="
        assertTrue(hasher.verify("lètmein", django))
        assertTrue(hasher.needsRehash(django))
        assertFalse(hasher.needsRehash(hasher.hash("x")))
    }

    @Test
    fun `malformed, foreign or absurdly expensive hashes never verify`() {
        listOf(
            "", "plain-text", "md5\$1\$salt\$hash", "pbkdf2_sha256\$0\$salt\$hash", "pbkdf2_sha256\$many\$salt\$hash",
            "pbkdf2_sha256\$1000\$salt", "pbkdf2_sha256\$1000\$\$hash", "pbkdf2_sha256\$2000000000\$salt\$hash",
        ).forEach { assertFalse(hasher.verify("x", it), it) }
    }

    @Test
    fun `fresh salts are 22 alphanumeric characters and differ`() {
        val first = hasher.newSalt()
        val second = hasher.newSalt()
        assertEquals(22, first.length)
        assertTrue(first.all { it.isLetterOrDigit() && it.code < 128 })
        assertNotEquals(first, second)
        assertEquals(Pbkdf2PasswordHasher(random = Random(1)).newSalt(), Pbkdf2PasswordHasher(random = Random(1)).newSalt())
    }
}
