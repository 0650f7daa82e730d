package dev.restflow.ktor.auth.password

/**
 * Hashes passwords for storage and checks them, in a self-describing encoded form (`<algorithm>$…`).
 *
 * Implementations are thread-safe and compare in constant time. Hashing is deliberately slow: call it off the
 * event loop (for example inside a database transaction on `Dispatchers.IO`).
 */
public interface PasswordHasher {
    /** The algorithm prefix of the encoded hashes this hasher makes and checks, e.g. `pbkdf2_sha256`. */
    public val algorithm: String

    /** Hashes [password] with a fresh random salt. */
    public fun hash(password: String): String

    /** Whether [encoded] is a hash of [password]; `false` for any hash this hasher does not understand. */
    public fun verify(password: String, encoded: String): Boolean

    /** Whether [encoded] should be re-hashed on the next successful log-in (older parameters). */
    public fun needsRehash(encoded: String): Boolean
}
