package dev.restflow.ktor.auth

/** A user read by [ExposedUserStore]. */
public class ExposedUser internal constructor(
    override val id: String,
    override val username: String,
    override val passwordHash: String?,
    override val isActive: Boolean,
    override val isStaff: Boolean,
    /** The e-mail, when the store maps an e-mail column. */
    public val email: String?,
) : AuthUser {
    override fun toString(): String = "ExposedUser(id=$id, username=$username)"
}
