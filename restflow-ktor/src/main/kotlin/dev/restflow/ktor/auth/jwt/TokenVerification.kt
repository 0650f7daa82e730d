package dev.restflow.ktor.auth.jwt

/** The outcome of [JwtTokens.verify]: a token is either [Valid] or [Invalid] with a client-safe reason. */
public sealed class TokenVerification {
    /** The token passed every check. */
    public class Valid internal constructor(
        /** The verified token. */
        public val token: VerifiedToken,
    ) : TokenVerification() {
        override fun toString(): String = "Valid($token)"
    }

    /**
     * The token failed a check. [message] is coarse and safe to show: "Token has expired.",
     * "Wrong token type, expected 'access'." or "Token is invalid." — it never says which signature or claim check
     * failed beyond that.
     */
    public class Invalid internal constructor(
        /** The client-safe reason. */
        public val message: String,
    ) : TokenVerification() {
        override fun toString(): String = "Invalid($message)"
    }
}
