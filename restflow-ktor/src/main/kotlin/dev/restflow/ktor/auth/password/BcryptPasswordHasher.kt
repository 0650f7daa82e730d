package dev.restflow.ktor.auth.password

import at.favre.lib.crypto.bcrypt.BCrypt
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies
import java.security.MessageDigest
import java.security.SecureRandom
import java.util.HexFormat

/**
 * bcrypt in Django's formats: new hashes are `bcrypt_sha256$$2b$<cost>$…` (Django's `BCryptSHA256PasswordHasher`:
 * the password is first SHA-256'd to 64 hex characters, so long passwords are not truncated at bcrypt's 72 bytes),
 * and [verify] also accepts Django's plain `bcrypt$$2a|2b|2y$…` hashes (truncated at 72 bytes like Django's
 * `BCryptPasswordHasher`). Comparison is constant-time; [cost] is bcrypt's log2 rounds (Django's default 12).
 *
 * Thread-safe. Hashing takes ~0.25 s at cost 12: call it off the event loop.
 */
public class BcryptPasswordHasher @JvmOverloads constructor(
    /** log2 rounds for new hashes, 4..31. */
    public val cost: Int = DEFAULT_COST,
    random: SecureRandom = SecureRandom(),
) : PasswordHasher {
    init {
        require(cost in 4..31) { "bcrypt cost must be in 4..31, got $cost" }
    }

    private val hasher = BCrypt.with(BCrypt.Version.VERSION_2B, random, LongPasswordStrategies.strict(BCrypt.Version.VERSION_2B))
    private val verifier = BCrypt.verifyer(BCrypt.Version.VERSION_2B, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B))

    override val algorithm: String get() = ALGORITHM

    override fun hash(password: String): String =
        "$ALGORITHM$" + String(hasher.hash(cost, sha256Hex(password)), Charsets.US_ASCII)

    override fun verify(password: String, encoded: String): Boolean {
        val (prefix, bcrypt) = encoded.split('$', limit = 2).takeIf { it.size == 2 } ?: return false
        val input = when (prefix) {
            ALGORITHM -> sha256Hex(password)
            PLAIN -> password.toByteArray(Charsets.UTF_8)
            else -> return false
        }
        return try {
            verifier.verify(input, bcrypt.toByteArray(Charsets.US_ASCII)).verified
        } catch (_: RuntimeException) {
            false
        }
    }

    override fun needsRehash(encoded: String): Boolean {
        if (!encoded.startsWith("$ALGORITHM$")) return true
        val costText = encoded.removePrefix("$ALGORITHM$").split('$').getOrNull(2) ?: return true
        return costText.toIntOrNull() != cost
    }

    private fun sha256Hex(password: String): ByteArray =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.toByteArray(Charsets.UTF_8)))
            .toByteArray(Charsets.US_ASCII)

    public companion object {
        /** The prefix of hashes this hasher makes. */
        public const val ALGORITHM: String = "bcrypt_sha256"

        /** The prefix of Django's plain bcrypt hashes, accepted by [verify]. */
        public const val PLAIN: String = "bcrypt"

        /** Django's default cost. */
        public const val DEFAULT_COST: Int = 12
    }
}
