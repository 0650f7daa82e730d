package dev.restflow.ktor.auth

/** What authentication needs to know of a user, whatever the application's user model is. */
public interface AuthUser {
    /** The id written into tokens (the value of `restflow.jwt.user-id-field`). */
    public val id: String

    /** The log-in name. */
    public val username: String

    /** The stored password hash, or `null` for users who cannot log in with a password. */
    public val passwordHash: String?

    /** Inactive users cannot authenticate when `check-user-is-active` is on (the default). */
    public val isActive: Boolean

    /** Staff users pass `IsAdminUser`. */
    public val isStaff: Boolean
}
