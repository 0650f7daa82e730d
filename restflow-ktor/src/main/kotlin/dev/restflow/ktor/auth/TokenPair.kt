package dev.restflow.ktor.auth

/** The tokens answered by the obtain and refresh endpoints: `{"access": …, "refresh": …}`. */
public class TokenPair internal constructor(
    /** The access token, presented as `Authorization: Bearer <access>`. */
    public val access: String,
    /** The refresh token (with rotation, a new one; without, the one presented). */
    public val refresh: String,
) {
    override fun toString(): String = "TokenPair(access=…, refresh=…)"
}
