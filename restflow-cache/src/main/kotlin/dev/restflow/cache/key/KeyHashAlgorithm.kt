package dev.restflow.cache.key

import java.security.MessageDigest

/**
 * Turns an over-long key suffix into a short, fixed-size token. The [name] goes into the key next to the digest,
 * so switching algorithms never makes two different suffixes share an entry.
 *
 * Implementations must be thread-safe and deterministic across processes and versions.
 */
public interface KeyHashAlgorithm {
    /** A short name written into hashed keys, e.g. `sha256`; letters, digits and `-` only. */
    public val name: String

    /** The digest of [input] as lower-case hex (or any text free of key separators). */
    public fun hash(input: ByteArray): String

    /** The built-in algorithms and a factory for custom ones. */
    public companion object {
        /** SHA-256 (JDK `MessageDigest`), 64 hex characters. The default. */
        @JvmField
        public val SHA256: KeyHashAlgorithm = jdk("sha256", "SHA-256")

        /** SHA-512 (JDK `MessageDigest`), 128 hex characters. */
        @JvmField
        public val SHA512: KeyHashAlgorithm = jdk("sha512", "SHA-512")

        /** MD5 (JDK `MessageDigest`), 32 hex characters; fine for keys, not for security. */
        @JvmField
        public val MD5: KeyHashAlgorithm = jdk("md5", "MD5")

        /** BLAKE2b with a 256-bit digest (RFC 7693, implemented here), 64 hex characters. */
        @JvmField
        public val BLAKE2B: KeyHashAlgorithm = of("blake2b") { Blake2b.digest(it, 32).toHex() }

        /**
         * A custom algorithm: [hash] must be deterministic and return text without the key separators
         * (`:`, `=`, `&`, `,`, `.`, `|`, `#`, `%`), which it checks on every use.
         */
        @JvmStatic
        public fun of(name: String, hash: KeyHasher): KeyHashAlgorithm {
            require(name.isNotEmpty() && name.all { it.isLetterOrDigit() || it == '-' }) {
                "a key hash algorithm name must be letters, digits and '-', was '$name'"
            }
            return object : KeyHashAlgorithm {
                override val name: String = name
                override fun hash(input: ByteArray): String = hash.hash(input).also { out ->
                    check(out.none { it in KeyEscaping.RESERVED }) { "key hash '$name' produced separator characters" }
                }
                override fun toString(): String = name
            }
        }

        private fun jdk(name: String, jdkName: String): KeyHashAlgorithm =
            of(name) { MessageDigest.getInstance(jdkName).digest(it).toHex() }
    }
}

/** The function behind a custom [KeyHashAlgorithm]. */
public fun interface KeyHasher {
    /** Returns the digest of [input] as text. */
    public fun hash(input: ByteArray): String
}

internal fun ByteArray.toHex(): String {
    val digits = "0123456789abcdef"
    val out = CharArray(size * 2)
    for (i in indices) {
        val b = this[i].toInt() and 0xff
        out[i * 2] = digits[b ushr 4]
        out[i * 2 + 1] = digits[b and 0x0f]
    }
    return String(out)
}
