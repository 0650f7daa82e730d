package dev.restflow.ktor.throttle

import dev.restflow.ktor.restflow
import dev.restflow.ktor.settings.ProxyAddresses
import io.ktor.server.application.ApplicationCall
import java.net.InetAddress

/**
 * The client's address: the connection's remote address, or — only when that address is one of
 * `restflow.throttle.trusted-proxies` — the rightmost `X-Forwarded-For` hop that is not a trusted proxy.
 */
public fun ApplicationCall.clientAddress(): String {
    val trusted = application.restflow.settings.throttle.trustedProxies
    return ClientAddresses.resolve(request.local.remoteAddress, request.headers.getAll("X-Forwarded-For"), trusted)
}

internal object ClientAddresses {
    fun resolve(remote: String, forwardedFor: List<String>?, trusted: List<String>): String {
        if (trusted.isEmpty() || forwardedFor.isNullOrEmpty() || !isTrusted(remote, trusted)) return remote
        val hops = forwardedFor.flatMap { it.split(',') }.map { it.trim() }.filter { it.isNotEmpty() }
        if (hops.isEmpty()) return remote
        for (hop in hops.asReversed()) {
            if (!isTrusted(hop, trusted)) return if (parse(hop) != null) hop else remote
        }
        return hops.first()
    }

    fun isTrusted(address: String, trusted: List<String>): Boolean {
        val ip = parse(address) ?: return false
        return trusted.any { entry -> matches(ip, entry) }
    }

    private fun matches(ip: ByteArray, entry: String): Boolean {
        val block = parse(entry.substringBefore('/')) ?: return false
        if (block.size != ip.size) return false
        val bits = entry.substringAfter('/', "").toIntOrNull() ?: (block.size * 8)
        for (i in 0 until bits) {
            val mask = 0x80 ushr (i % 8)
            if ((ip[i / 8].toInt() and mask) != (block[i / 8].toInt() and mask)) return false
        }
        return true
    }

    /** The bytes of an IP literal, never doing a DNS look-up; `null` for anything else. */
    private fun parse(text: String): ByteArray? {
        val literal = text.removePrefix("[").removeSuffix("]")
        if (literal.contains('/') || !ProxyAddresses.isValid(literal)) return null
        return runCatching { InetAddress.getByName(literal).address }.getOrNull()
    }
}
