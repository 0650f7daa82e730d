package dev.restflow.ktor.auth.jwt

/** The kind of a Restflow JWT, written in its `token_type` claim so one kind is never accepted as the other. */
public enum class TokenType(
    /** The `token_type` claim value. */
    public val claimValue: String,
) {
    /** Short-lived; presented as `Authorization: Bearer <access>`. */
    ACCESS("access"),

    /** Long-lived; only accepted by the refresh and blacklist endpoints. */
    REFRESH("refresh"),
    ;

    public companion object {
        /** The claim name holding the type. */
        public const val CLAIM: String = "token_type"
    }
}
