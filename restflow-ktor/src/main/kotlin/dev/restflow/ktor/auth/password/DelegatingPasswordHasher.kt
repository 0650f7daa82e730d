package dev.restflow.ktor.auth.password

/**
 * Hashes with [primary] and verifies with whichever hasher understands the stored hash (by its `<algorithm>$`
 * prefix), like Django's `PASSWORD_HASHERS` list; [needsRehash] is true for hashes of the other hashers, so users
 * move to [primary] at their next log-in. Thread-safe when the hashers are.
 */
public class DelegatingPasswordHasher(
    /** Makes new hashes. */
    public val primary: PasswordHasher,
    vararg others: PasswordHasher,
) : PasswordHasher {
    private val all = listOf(primary) + others

    override val algorithm: String get() = primary.algorithm

    override fun hash(password: String): String = primary.hash(password)

    override fun verify(password: String, encoded: String): Boolean = all.any { it.verify(password, encoded) }

    override fun needsRehash(encoded: String): Boolean =
        !encoded.startsWith(primary.algorithm + "$") || primary.needsRehash(encoded)
}
