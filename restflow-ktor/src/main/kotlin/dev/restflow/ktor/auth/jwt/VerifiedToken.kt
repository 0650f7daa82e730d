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

    /**
     * A claim's scalar values as text: a string, number or boolean as one value, a list as its scalar elements;
     * `null` when the claim is absent, null, an object, or a list without scalars.
     */
    internal fun claimTexts(name: String): List<String>? {
        val claim = decoded.getClaim(name)
        if (claim.isMissing || claim.isNull) return null
        val value = runCatching { claim.`as`(Any::class.java) }.getOrNull() ?: return null
        return when (value) {
            is List<*> -> value.mapNotNull(::scalarText)
            else -> listOfNotNull(scalarText(value))
        }.takeIf { it.isNotEmpty() }
    }

    private fun scalarText(value: Any?): String? = when (value) {
        is String -> value
        is Number, is Boolean -> value.toString()
        else -> null
    }

    override fun toString(): String = "VerifiedToken(type=$type, userId=$userId, jti=$jti)"
}
