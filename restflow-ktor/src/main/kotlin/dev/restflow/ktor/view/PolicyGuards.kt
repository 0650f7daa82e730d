package dev.restflow.ktor.view

import dev.restflow.ktor.permission.Permission
import dev.restflow.ktor.permission.checkObjectPermissions
import dev.restflow.ktor.permission.checkPermissions
import dev.restflow.ktor.throttle.Throttle
import dev.restflow.ktor.throttle.checkThrottles
import io.ktor.server.application.ApplicationCall

/** Permissions as a [Guard]: 401/403 by DRF's rule, object permissions on rows. */
internal class PermissionGuard(private val permissions: List<Permission>) : Guard {
    override suspend fun check(call: ApplicationCall) = call.checkPermissions(permissions)

    override suspend fun checkObject(call: ApplicationCall, obj: Any) = call.checkObjectPermissions(permissions, obj)
}

/** Throttles as a [Guard]: every throttle is evaluated, the longest wait answers 429. */
internal class ThrottleGuard(private val throttles: List<Throttle>) : Guard {
    override suspend fun check(call: ApplicationCall) = call.checkThrottles(throttles)
}
