package dev.restflow.ktor.test

import dev.restflow.ktor.auth.AuthUser
import dev.restflow.ktor.auth.RestflowPrincipal
import io.ktor.server.application.ApplicationPlugin
import io.ktor.server.application.createApplicationPlugin
import io.ktor.server.auth.authentication
import java.security.SecureRandom
import java.util.Base64
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong

/** The header a test client sends to be authenticated as a registered user. */
internal const val FORCED_PRINCIPAL_HEADER: String = "X-Restflow-Test-Principal"

/**
 * Users that test clients of one test application are authenticated as, without credentials (DRF's
 * `force_authenticate`). A client carries `X-Restflow-Test-Principal: <secret>.<n>`: the secret is random per test
 * application and never leaves the JVM, so the header cannot be forged by anything but this test's own clients, and
 * the plugin reading it is installed only by the test kit — an application outside the test kit ignores the header.
 */
internal class ForcedPrincipals {
    private val secret: String = ByteArray(24).also { SecureRandom().nextBytes(it) }
        .let { Base64.getUrlEncoder().withoutPadding().encodeToString(it) }
    private val next = AtomicLong()
    private val users = ConcurrentHashMap<String, AuthUser>()

    /** Registers [user] and returns the header value that authenticates as them. */
    fun register(user: AuthUser): String {
        val handle = next.incrementAndGet().toString()
        users[handle] = user
        return "$secret.$handle"
    }

    /** The user [value] names, or `null` for a missing, unknown or forged value. */
    fun resolve(value: String?): AuthUser? {
        if (value == null) return null
        val dot = value.lastIndexOf('.')
        if (dot < 0) return null
        val given = value.substring(0, dot).toByteArray()
        if (!java.security.MessageDigest.isEqual(given, secret.toByteArray())) return null
        return users[value.substring(dot + 1)]
    }
}

/**
 * Sets a [RestflowPrincipal] on calls whose forced-principal header names a registered user, before authentication
 * runs; Ktor's `authenticate { }` then keeps that principal and does not ask its providers (so a route that requires
 * JWT accepts it). Installed by the test kit only.
 */
internal class ForcedAuthenticationConfig {
    var principals: ForcedPrincipals = ForcedPrincipals()
}

internal val ForcedAuthentication: ApplicationPlugin<ForcedAuthenticationConfig> =
    createApplicationPlugin("RestflowForcedAuthentication", ::ForcedAuthenticationConfig) {
        val principals = pluginConfig.principals
        onCall { call ->
            val user = principals.resolve(call.request.headers[FORCED_PRINCIPAL_HEADER]) ?: return@onCall
            call.authentication.principal(RestflowPrincipal(user))
        }
    }
