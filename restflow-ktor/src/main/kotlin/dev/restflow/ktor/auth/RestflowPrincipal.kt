package dev.restflow.ktor.auth

import dev.restflow.ktor.auth.jwt.VerifiedToken

/** The authenticated caller: the [user] and, for JWT authentication, the access [token] presented. */
public class RestflowPrincipal(
    /** The user. */
    public val user: AuthUser,
    /** The verified access token, or `null` for other authenticators. */
    public val token: VerifiedToken? = null,
) {
    override fun toString(): String = "RestflowPrincipal(user=${user.id}, token=${token?.jti})"
}
