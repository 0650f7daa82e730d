package dev.restflow.ktor.permission

import dev.restflow.ktor.restflowKey
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.restflow
import io.ktor.server.application.ApplicationCall
import io.ktor.util.AttributeKey

private val ChallengeKey = restflowKey<String>("restflow.permission.challenge")

/**
 * The `WWW-Authenticate` challenge a denied unauthenticated call gets with its 401, or `null` for a 403.
 *
 * Decision (DRF: the first authenticator's `authenticate_header`): a challenge set on the call with
 * [authChallenge]'s setter wins (the `Permissions` plugin sets its `challenge`); otherwise, when `restflow.jwt` is configured,
 * `<first auth-header-type> realm="restflow"` (what `restflowJwt` sends); otherwise none.
 */
public var ApplicationCall.authChallenge: String?
    get() = attributes.getOrNull(ChallengeKey) ?: defaultChallenge(this)
    set(value) {
        if (value == null) attributes.remove(ChallengeKey) else attributes.put(ChallengeKey, value)
    }

private fun defaultChallenge(call: ApplicationCall): String? {
    val context = runCatching { call.application.restflow }.getOrNull() ?: return null
    if (context.jwt == null) return null
    return "${context.settings.jwt.authHeaderTypes.first()} realm=\"restflow\""
}

/**
 * Checks [permissions] in order, stopping at the first denial, which throws [ApiException]: 401
 * `not_authenticated` with `WWW-Authenticate` when the call has no principal and [authChallenge] is set, else 403
 * with the denying permission's message and code (for a combination, the side that denied).
 */
public suspend fun ApplicationCall.checkPermissions(permissions: List<Permission>) {
    for (permission in permissions) {
        if (!permission.hasPermission(this)) throw denial(this, permission)
    }
}

/** Checks the object permissions of [permissions] on [obj] (after [checkPermissions]); same errors. */
public suspend fun ApplicationCall.checkObjectPermissions(permissions: List<Permission>, obj: Any) {
    for (permission in permissions) {
        if (!permission.hasObjectPermission(this, obj)) throw denial(this, permission)
    }
}

internal fun denial(call: ApplicationCall, permission: Permission): ApiException {
    val challenge = call.authChallenge
    if (!call.isAuthenticated() && challenge != null) return ApiException.notAuthenticated(challenge)
    val failing = denialOf(call, permission)
    return ApiException(io.ktor.http.HttpStatusCode.Forbidden, failing.code, failing.message)
}
