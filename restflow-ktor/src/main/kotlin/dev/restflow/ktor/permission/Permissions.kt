package dev.restflow.ktor.permission

import dev.restflow.RestflowDsl
import io.ktor.server.application.RouteScopedPlugin
import io.ktor.server.application.createRouteScopedPlugin
import io.ktor.server.application.install
import io.ktor.server.auth.AuthenticationChecked
import io.ktor.server.routing.Route

/**
 * Checks permissions on every call to the routes it is installed on, after authentication and before the handler:
 * `authenticate(optional = true) { route("/admin") { install(Permissions) { require(IsAdminUser) }; … } }`.
 * A denial answers through the error envelope as [checkPermissions] describes. Installing it on a nested route
 * adds checks to the parent's (Ktor merges route-scoped plugins' hooks by route); object permissions are checked
 * by handlers with [checkObjectPermissions].
 */
public val Permissions: RouteScopedPlugin<PermissionsConfig> =
    createRouteScopedPlugin("RestflowPermissions", ::PermissionsConfig) {
        val permissions = pluginConfig.permissions.toList()
        val challenge = pluginConfig.challenge
        on(AuthenticationChecked) { call ->
            if (challenge != null) call.authChallenge = challenge
            call.checkPermissions(permissions)
        }
    }

/** Configuration of [Permissions]. */
@RestflowDsl
public class PermissionsConfig internal constructor() {
    internal val permissions = mutableListOf<Permission>()

    /**
     * The `WWW-Authenticate` challenge for unauthenticated denials (e.g. `Basic realm="api"`); default: see
     * [authChallenge].
     */
    public var challenge: String? = null

    /** Adds [permission]; all added permissions must allow, checked in order. */
    public fun require(vararg permission: Permission): PermissionsConfig = apply { permissions += permission }
}

/** Installs [Permissions] on this route requiring every one of [permissions]; also the Java entry point. */
public fun Route.permissions(vararg permissions: Permission) {
    install(Permissions) { require(*permissions) }
}
