package dev.restflow.ktor.auth

import java.security.MessageDigest
import java.util.HexFormat

/**
 * The value of the revoke claim (`restflow.jwt.revoke-token-claim`): a SHA-256 digest of the user's stored password
 * hash, so tokens issued before a password change stop working when `check-revoke-token` is on, without revealing
 * the hash.
 */
public object RevokeFingerprint {
    /** The fingerprint of [passwordHash] (`""` hashes to a fixed value for users without a password). */
    @JvmStatic
    public fun of(passwordHash: String?): String =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest((passwordHash ?: "").toByteArray())).take(32)
}
