package dev.restflow.ktor.auth

import dev.restflow.RestflowDsl
import io.ktor.server.auth.AuthenticationConfig
import io.ktor.server.auth.AuthenticationContext
import io.ktor.server.auth.AuthenticationProvider
import java.net.InetAddress

/**
 * Trusts a user name set by a front proxy (DRF's `RemoteUserAuthentication`, e.g. `X-Remote-User` from an SSO
 * gateway) — only on connections coming directly from [RestflowRemoteUserConfig.trustedProxies]; from anywhere else
 * the header is ignored as if absent, so a client cannot log itself in by sending it. An unknown or inactive user →
 * 401 "User inactive or deleted.". The challenge is [RestflowRemoteUserConfig.challenge] (default `RemoteUser`).
 */
public class RestflowRemoteUserAuthenticationProvider internal constructor(
    private val config: RestflowRemoteUserConfig,
) : AuthenticationProvider(config) {
    private val users = checkNotNull(config.userStore) { "restflowRemoteUser { userStore = … } is required" }
    private val trusted = config.trustedProxies.map(::TrustedAddress)

    init {
        require(config.trustedProxies.isNotEmpty()) { "restflowRemoteUser { trustedProxies = listOf(…) } must name the proxies" }
    }

    override suspend fun onAuthenticate(context: AuthenticationContext) {
        val call = context.call
        val peer = call.request.local.remoteAddress
        val name = call.request.headers[config.header]?.trim()
        if (name.isNullOrEmpty() || name.length > 255 || trusted.none { it.matches(peer) }) {
            return Challenges.noCredentials(context, KEY, config.challenge)
        }
        val user = users.findByUsername(name)
        if (user == null || !user.isActive) return Challenges.failed(context, KEY, config.challenge, "User inactive or deleted.")
        context.principal(this.name, RestflowPrincipal(user))
    }

    private companion object {
        const val KEY = "RestflowRemoteUser"
    }
}

/** An exact address (or name, e.g. `localhost` in tests) or a CIDR block of literal IPs; never resolves names. */
private class TrustedAddress(private val entry: String) {
    private val network: ByteArray? = entry.substringBefore('/').takeIf(::isLiteralIp)?.let { InetAddress.getByName(it).address }
    private val bits: Int = entry.substringAfter('/', "").toIntOrNull() ?: ((network?.size ?: 0) * 8)

    fun matches(peer: String): Boolean {
        if (peer == entry) return true
        val net = network ?: return false
        if (!isLiteralIp(peer)) return false
        val address = InetAddress.getByName(peer).address
        if (address.size != net.size) return false
        for (i in 0 until bits) {
            val mask = 0x80 ushr (i % 8)
            if ((address[i / 8].toInt() and mask) != (net[i / 8].toInt() and mask)) return false
        }
        return true
    }

    private fun isLiteralIp(s: String) = s.isNotEmpty() && (s.all { it.isDigit() || it == '.' } || (s.contains(':') && s.all { it.isLetterOrDigit() || it == ':' || it == '.' }))
}

/** Configuration of [restflowRemoteUser]. */
@RestflowDsl
public class RestflowRemoteUserConfig internal constructor(name: String?) : AuthenticationProvider.Config(name) {
    /** Where users are found by username. Required. */
    public var userStore: UserStore? = null

    /** The header holding the user name (default `X-Remote-User`). */
    public var header: String = "X-Remote-User"

    /** Peer addresses (exact, or CIDR blocks of literal IPs) allowed to set [header]. Required. */
    public var trustedProxies: List<String> = emptyList()

    /** The `WWW-Authenticate` value of this provider's 401s (default `RemoteUser`). */
    public var challenge: String = "RemoteUser"
}

/** Registers trusted remote-user authentication as provider [name]. */
public fun AuthenticationConfig.restflowRemoteUser(name: String? = null, configure: RestflowRemoteUserConfig.() -> Unit) {
    register(RestflowRemoteUserAuthenticationProvider(RestflowRemoteUserConfig(name).apply(configure)))
}
