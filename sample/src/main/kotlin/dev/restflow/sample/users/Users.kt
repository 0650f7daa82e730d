package dev.restflow.sample.users

import dev.restflow.sample.database.utcTimestamp
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable

/** Shop accounts, shaped like Django's `auth_user` (the password column holds a `Pbkdf2PasswordHasher` hash, Django's format). */
object Users : IntIdTable("users") {
    val username = varchar("username", 150).uniqueIndex("users_username_key")
    val email = varchar("email", 254)
    val password = varchar("password", 128)
    val isStaff = bool("is_staff").default(false)
    val isActive = bool("is_active").default(true)
    val dateJoined = utcTimestamp("date_joined")
}
