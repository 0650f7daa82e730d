package dev.restflow.sample.users

import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue

class DjangoPasswordHasherTest {
    @Test
    fun `hashes match Django's pbkdf2_sha256 format byte for byte`() {
        // Expected values computed with Python's hashlib.pbkdf2_hmac('sha256', ...), which Django uses.
        assertEquals(
            "pbkdf2_sha256\$100000\$seasalt\$BNZ6eyaNc8qFTJPjrAq99hSYb73EgAdytAtdBg2Sdcc=",
            DjangoPasswordHasher.hash("lètmein", salt = "seasalt", iterations = 100_000),
        )
        assertEquals(
            "pbkdf2_sha256\$1000\$abcdefghijklmnopqrstuv\$4jyLpFSj9AOqdSyzqtDi/ik5j0SK7DrYGbBYb0hnLxs=",
            DjangoPasswordHasher.hash("admin-pass", salt = "abcdefghijklmnopqrstuv", iterations = 1000),
        )
    }

    @Test
    fun `a hash verifies against its password only`() {
        val encoded = DjangoPasswordHasher.hash("alice-pass")

        assertTrue(encoded.startsWith("pbkdf2_sha256\$100000\$"))
        assertTrue(DjangoPasswordHasher.verify("alice-pass", encoded))
        assertFalse(DjangoPasswordHasher.verify("alice-pass ", encoded))
        assertFalse(DjangoPasswordHasher.verify("bob-pass", encoded))
    }

    @Test
    fun `hashes made with another iteration count still verify`() {
        assertTrue(
            DjangoPasswordHasher.verify(
                "admin-pass",
                "pbkdf2_sha256\$1000\$abcdefghijklmnopqrstuv\$4jyLpFSj9AOqdSyzqtDi/ik5j0SK7DrYGbBYb0hnLxs=",
            ),
        )
    }

    @Test
    fun `malformed or foreign hashes never verify`() {
        listOf(
            "",
            "plain-text",
            "md5\$1\$salt\$hash",
            "pbkdf2_sha256\$0\$salt\$hash",
            "pbkdf2_sha256\$many\$salt\$hash",
            "pbkdf2_sha256\$1000\$salt",
        ).forEach { assertFalse(DjangoPasswordHasher.verify("x", it), it) }
    }

    @Test
    fun `fresh salts are 22 alphanumeric characters and differ`() {
        val first = DjangoPasswordHasher.newSalt()
        val second = DjangoPasswordHasher.newSalt()

        assertEquals(22, first.length)
        assertTrue(first.all { it.isLetterOrDigit() && it.code < 128 })
        assertNotEquals(first, second)
    }
}
