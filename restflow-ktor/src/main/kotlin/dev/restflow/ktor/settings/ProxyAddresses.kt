package dev.restflow.ktor.settings

/** Syntax checks for `trusted-proxies` entries (IPv4/IPv6 addresses and CIDR blocks), without DNS look-ups. */
internal object ProxyAddresses {
    private val IPV4 = Regex("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")
    private val IPV6 = Regex("[0-9A-Fa-f:]+(:(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})?")

    fun isValid(entry: String): Boolean {
        val address = entry.substringBefore('/')
        val prefix = entry.substringAfter('/', "")
        val v4 = IPV4.matches(address)
        val v6 = !v4 && address.contains(':') && IPV6.matches(address) && address.count { it == ':' } in 2..7
        if (!v4 && !v6) return false
        if (prefix.isEmpty()) return !entry.endsWith("/")
        val bits = prefix.toIntOrNull() ?: return false
        return bits in 0..(if (v4) 32 else 128)
    }
}
