package dev.restflow.sample.users

import dev.restflow.ktor.auth.ExposedUserStore
import dev.restflow.ktor.auth.RestflowPrincipal
import dev.restflow.ktor.auth.UserStore
import dev.restflow.ktor.auth.authRoutes
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.permission.IsAuthenticated
import dev.restflow.ktor.permission.Permission
import dev.restflow.ktor.permission.permissions
import dev.restflow.ktor.throttle.ScopedRateThrottle
import dev.restflow.ktor.throttle.throttles
import io.ktor.http.ContentType
import io.ktor.http.HttpMethod
import io.ktor.server.application.ApplicationCall
import io.ktor.server.auth.principal
import io.ktor.server.request.httpMethod
import io.ktor.server.response.respondText
import io.ktor.server.routing.Route
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.select

/** The shop's users as Restflow sees them, the token endpoints and `/api/me`. */
object ShopAuth {
    /** The name of the optional JWT authentication every API route runs under. */
    const val JWT = "jwt"

    /** Users from the `users` table (Django's `auth_user` shape). */
    fun userStore(database: Database): UserStore =
        ExposedUserStore.builder(database, Users, Users.id) { raw -> raw.toIntOrNull()?.let { EntityID(it, Users) } }
            .username(Users.username)
            .passwordHash(Users.password)
            .active(Users.isActive)
            .staff(Users.isStaff)
            .build()

    /** `GET`, `HEAD` and `OPTIONS` only. */
    val ReadOnly: Permission = Permission("You do not have permission to perform this action.", "permission_denied") { call ->
        call.request.httpMethod in setOf(HttpMethod.Get, HttpMethod.Head, HttpMethod.Options)
    }

    /** The caller's user id; 401 when the call is not authenticated. */
    fun ApplicationCall.userId(): Int =
        principal<RestflowPrincipal>()?.user?.id?.toIntOrNull() ?: throw ApiException.notAuthenticated()

    /** `/api/auth/token` (throttle scope `auth`), `/token/refresh`, `/token/blacklist`, and `/api/me`. */
    fun Route.authEndpoints(users: UserStore, database: Database) {
        route("/api/auth/token") {
            throttles(ScopedRateThrottle("auth"))
        }
        authRoutes("/api/auth") { userStore = users }
        route("/api/me") {
            permissions(IsAuthenticated)
            get {
                val user = call.principal<RestflowPrincipal>()!!.user
                val body = buildJsonObject {
                    put("id", JsonPrimitive(user.id.toIntOrNull() ?: 0))
                    put("username", JsonPrimitive(user.username))
                    val email = org.jetbrains.exposed.v1.jdbc.transactions.transaction(database) {
                        Users.select(Users.email).where { Users.username eq user.username }.singleOrNull()?.get(Users.email)
                    }
                    put("email", JsonPrimitive(email.orEmpty()))
                    put("is_staff", JsonPrimitive(user.isStaff))
                }
                call.respondText(body.toString(), ContentType.Application.Json)
            }
        }
    }
}
