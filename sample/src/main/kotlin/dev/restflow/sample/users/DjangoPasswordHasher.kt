package dev.restflow.sample.users

import java.security.MessageDigest
import java.security.SecureRandom
import java.util.Base64
import javax.crypto.SecretKeyFactory
import javax.crypto.spec.PBEKeySpec
import kotlin.random.Random
import kotlin.random.asKotlinRandom

/**
 * Password hashes in Django's `pbkdf2_sha256` format, `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`
 * (PBKDF2-HMAC-SHA256, 32-byte key, salt used as its UTF-8 bytes), so a Django project can check them and the
 * other way round.
 *
 * [ITERATIONS] is 100,000, below Django 5's 1,000,000: seeding and test log-ins stay fast on a small machine.
 * [verify] accepts any iteration count, so stronger hashes made elsewhere still verify.
 */
object DjangoPasswordHasher {
    const val ALGORITHM: String = "pbkdf2_sha256"
    const val ITERATIONS: Int = 100_000
    private const val KEY_BITS = 256
    private const val SALT_LENGTH = 22
    private const val SALT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    private val secureRandom = SecureRandom().asKotlinRandom()

    /** Hashes [password] with a fresh random salt (or [salt]) and [iterations] rounds. */
    fun hash(password: String, salt: String = newSalt(), iterations: Int = ITERATIONS): String {
        require(iterations > 0) { "iterations must be positive" }
        require(salt.isNotEmpty() && '$' !in salt) { "salt must be non-empty and must not contain '$'" }
        return "$ALGORITHM\$$iterations\$$salt\$${derive(password, salt, iterations)}"
    }

    /** True when [encoded] is a `pbkdf2_sha256` hash of [password]; false for any other or malformed value. */
    fun verify(password: String, encoded: String): Boolean {
        val parts = encoded.split('$')
        if (parts.size != 4 || parts[0] != ALGORITHM) return false
        val iterations = parts[1].toIntOrNull()?.takeIf { it > 0 } ?: return false
        val expected = derive(password, parts[2], iterations)
        return MessageDigest.isEqual(expected.toByteArray(), parts[3].toByteArray())
    }

    /** A 22-character alphanumeric salt, like Django's, drawn from [random] (secure by default). */
    fun newSalt(random: Random = secureRandom): String =
        buildString(SALT_LENGTH) { repeat(SALT_LENGTH) { append(SALT_ALPHABET[random.nextInt(SALT_ALPHABET.length)]) } }

    private fun derive(password: String, salt: String, iterations: Int): String {
        val spec = PBEKeySpec(password.toCharArray(), salt.toByteArray(Charsets.UTF_8), iterations, KEY_BITS)
        try {
            val key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).encoded
            return Base64.getEncoder().encodeToString(key)
        } finally {
            spec.clearPassword()
        }
    }
}
