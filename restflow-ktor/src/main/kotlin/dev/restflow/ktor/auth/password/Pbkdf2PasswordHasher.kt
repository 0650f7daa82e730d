package dev.restflow.ktor.auth.password

import java.security.MessageDigest
import java.security.SecureRandom
import java.util.Base64
import javax.crypto.SecretKeyFactory
import javax.crypto.spec.PBEKeySpec
import kotlin.random.Random
import kotlin.random.asKotlinRandom

/**
 * Django's default password hasher, exactly: `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` (PBKDF2-HMAC-SHA256,
 * a 32-byte key, the salt used as its UTF-8 bytes), so users migrating from Django keep their passwords and the
 * other way round.
 *
 * New hashes use [iterations] (default 1,000,000, Django 5.2's); [verify] accepts any iteration count and
 * [needsRehash] reports hashes made with another one.
 */
public class Pbkdf2PasswordHasher @JvmOverloads constructor(
    /** Rounds for new hashes. */
    public val iterations: Int = DEFAULT_ITERATIONS,
    random: Random = SecureRandom().asKotlinRandom(),
) : PasswordHasher {
    private val random = random

    init {
        require(iterations > 0) { "iterations must be positive, got $iterations" }
    }

    override val algorithm: String get() = ALGORITHM

    override fun hash(password: String): String = hash(password, newSalt(), iterations)

    /** Hashes [password] with the given [salt] and [rounds] (for deterministic fixtures and tests). */
    public fun hash(password: String, salt: String, rounds: Int): String {
        require(rounds > 0) { "rounds must be positive" }
        require(salt.isNotEmpty() && '$' !in salt) { "salt must be non-empty and must not contain '$'" }
        return "$ALGORITHM\$$rounds\$$salt\$${derive(password, salt, rounds)}"
    }

    override fun verify(password: String, encoded: String): Boolean {
        val parts = parse(encoded) ?: return false
        val expected = derive(password, parts.salt, parts.rounds)
        return MessageDigest.isEqual(expected.toByteArray(), parts.hash.toByteArray())
    }

    override fun needsRehash(encoded: String): Boolean = parse(encoded)?.rounds != iterations

    /** A 22-character alphanumeric salt, like Django's. */
    public fun newSalt(): String =
        buildString(SALT_LENGTH) { repeat(SALT_LENGTH) { append(SALT_ALPHABET[random.nextInt(SALT_ALPHABET.length)]) } }

    private class Parts(val rounds: Int, val salt: String, val hash: String)

    private fun parse(encoded: String): Parts? {
        val parts = encoded.split('$')
        if (parts.size != 4 || parts[0] != ALGORITHM || parts[2].isEmpty()) return null
        // bound the work an attacker-supplied hash can cost
        val rounds = parts[1].toIntOrNull()?.takeIf { it in 1..MAX_ITERATIONS } ?: return null
        return Parts(rounds, parts[2], parts[3])
    }

    private fun derive(password: String, salt: String, rounds: Int): String {
        val spec = PBEKeySpec(password.toCharArray(), salt.toByteArray(Charsets.UTF_8), rounds, KEY_BITS)
        try {
            return Base64.getEncoder().encodeToString(SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).encoded)
        } finally {
            spec.clearPassword()
        }
    }

    public companion object {
        /** The algorithm prefix. */
        public const val ALGORITHM: String = "pbkdf2_sha256"

        /** Django 5.2's iteration count. */
        public const val DEFAULT_ITERATIONS: Int = 1_000_000

        private const val MAX_ITERATIONS = 10_000_000
        private const val KEY_BITS = 256
        private const val SALT_LENGTH = 22
        private const val SALT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    }
}
