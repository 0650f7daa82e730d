package dev.restflow.ktor.settings

/** The JWT signing algorithms Restflow accepts for `restflow.jwt.algorithm`; `none` is never one of them. */
public enum class JwtAlgorithm(
    /** The name used in configuration and in the token's `alg` header. */
    public val headerName: String,
    /** The key family the algorithm needs. */
    public val family: KeyFamily,
) {
    /** HMAC with SHA-256. */
    HS256("HS256", KeyFamily.HMAC),

    /** HMAC with SHA-384. */
    HS384("HS384", KeyFamily.HMAC),

    /** HMAC with SHA-512. */
    HS512("HS512", KeyFamily.HMAC),

    /** RSASSA-PKCS1-v1_5 with SHA-256. */
    RS256("RS256", KeyFamily.RSA),

    /** RSASSA-PKCS1-v1_5 with SHA-384. */
    RS384("RS384", KeyFamily.RSA),

    /** RSASSA-PKCS1-v1_5 with SHA-512. */
    RS512("RS512", KeyFamily.RSA),

    /** RSASSA-PSS with SHA-256. */
    PS256("PS256", KeyFamily.RSA),

    /** RSASSA-PSS with SHA-384. */
    PS384("PS384", KeyFamily.RSA),

    /** RSASSA-PSS with SHA-512. */
    PS512("PS512", KeyFamily.RSA),

    /** ECDSA on P-256 with SHA-256. */
    ES256("ES256", KeyFamily.EC),

    /** ECDSA on P-384 with SHA-384. */
    ES384("ES384", KeyFamily.EC),

    /** ECDSA on P-521 with SHA-512. */
    ES512("ES512", KeyFamily.EC),
    ;

    /** The kind of key an algorithm signs and verifies with. */
    public enum class KeyFamily {
        /** A shared secret (any string). */
        HMAC,

        /** An RSA key pair in PEM. */
        RSA,

        /** An elliptic-curve key pair in PEM. */
        EC,
    }

    public companion object {
        /** Finds an algorithm by its configuration name, ignoring case; `null` when there is none. */
        @JvmStatic
        public fun fromNameOrNull(name: String): JwtAlgorithm? = entries.firstOrNull { it.headerName.equals(name, ignoreCase = true) }
    }
}
