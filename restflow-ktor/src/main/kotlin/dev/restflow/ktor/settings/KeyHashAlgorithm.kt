package dev.restflow.ktor.settings

/** How cache-key suffixes longer than `max-key-suffix-length` are hashed (`restflow.cache.key-hash-algorithm`). */
public enum class KeyHashAlgorithm(
    /** The name used in configuration. */
    public val configName: String,
) {
    /** SHA-256 (the default). */
    SHA256("sha256"),

    /** SHA-512. */
    SHA512("sha512"),

    /** BLAKE2b-256. */
    BLAKE2B("blake2b"),

    /** MD5: short keys, not collision resistant; only for keys no attacker chooses. */
    MD5("md5"),
}
