package dev.restflow.ktor.auth.jwt

import com.auth0.jwt.interfaces.DecodedJWT
import java.time.Instant

/** A token whose signature, algorithm, type, issuer, audience and lifetime were checked by [JwtTokens.verify]. */
public class VerifiedToken internal constructor(
    private val decoded: DecodedJWT,
    /** The user id from the configured `user-id-claim`. */
    public val userId: String,
    /** Its kind. */
    public val type: TokenType,
) {
    /** Its `jti`. */
    public val jti: String get() = decoded.id

    /** Its `iat`, or `null` when absent. */
    public val issuedAt: Instant? get() = decoded.issuedAtAsInstant

    /** Its `exp`. */
    public val expiresAt: Instant get() = decoded.expiresAtAsInstant

    /** A string claim, or `null` when absent or not a string. */
    public fun stringClaim(name: String): String? = decoded.getClaim(name).asString()

    /** A list-of-strings claim (e.g. roles), or an empty list. */
    public fun stringListClaim(name: String): List<String> = decoded.getClaim(name).asList(String::class.java).orEmpty()

    override fun toString(): String = "VerifiedToken(type=$type, userId=$userId, jti=$jti)"
}
