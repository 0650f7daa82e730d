package dev.restflow.ktor.auth.password

import kotlin.test.Test
import kotlin.test.assertFalse
import kotlin.test.assertTrue

class BcryptPasswordHasherTest {
    private val hasher = BcryptPasswordHasher(cost = 4)

    @Test
    fun `a hash round-trips in Django's bcrypt_sha256 format`() {
        val encoded = hasher.hash("lètmein")
        assertTrue(encoded.startsWith("bcrypt_sha256\$\$2b\$04\$"), encoded)
        assertTrue(hasher.verify("lètmein", encoded))
        assertFalse(hasher.verify("letmein", encoded))
        assertFalse(hasher.needsRehash(encoded))
        assertTrue(BcryptPasswordHasher(cost = 5).needsRehash(encoded))
    }

    @Test
    fun `passwords longer than 72 bytes are not truncated`() {
        val long = "a".repeat(100)
        val encoded = hasher.hash(long)
        assertTrue(hasher.verify(long, encoded))
        assertFalse(hasher.verify("a".repeat(99) + "b", encoded))
    }

    @Test
    fun `Django's plain bcrypt hashes verify with the OpenBSD test vectors`() {
        assertTrue(hasher.verify("", "bcrypt\$\$2a\$06\$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."))
        assertTrue(hasher.verify("a", "bcrypt\$\$2a\$06\$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe"))
        assertTrue(hasher.verify("abc", "bcrypt\$\$2a\$06\$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"))
        assertFalse(hasher.verify("abd", "bcrypt\$\$2a\$06\$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"))
        assertTrue(hasher.needsRehash("bcrypt\$\$2a\$06\$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"))
    }

    @Test
    fun `garbage and foreign hashes are false, never an exception`() {
        listOf("", "bcrypt_sha256\$", "bcrypt\$\$2a\$99\$x", "bcrypt_sha256\$\$2b\$04\$short", "pbkdf2_sha256\$1\$s\$h", "\u0000").forEach {
            assertFalse(hasher.verify("x", it), it)
        }
    }

    @Test
    fun `a delegating hasher verifies both formats and asks to move to the primary`() {
        val pbkdf2 = Pbkdf2PasswordHasher(1)
        val both = DelegatingPasswordHasher(pbkdf2, hasher)
        val old = hasher.hash("pw")
        assertTrue(both.verify("pw", old))
        assertTrue(both.needsRehash(old))
        val new = both.hash("pw")
        assertTrue(new.startsWith("pbkdf2_sha256$"))
        assertFalse(both.needsRehash(new))
    }
}
