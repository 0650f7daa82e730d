package dev.restflow.ktor.auth.jwt

import java.time.Instant

/** A token just signed by [JwtTokens.issue], with the facts a blacklist or an audit log needs. */
public class IssuedToken internal constructor(
    /** The compact JWT. */
    public val token: String,
    /** Its kind. */
    public val type: TokenType,
    /** Its `jti`. */
    public val jti: String,
    /** Its `iat`. */
    public val issuedAt: Instant,
    /** Its `exp`. */
    public val expiresAt: Instant,
) {
    override fun toString(): String = "IssuedToken(type=$type, jti=$jti, expiresAt=$expiresAt)"
}
