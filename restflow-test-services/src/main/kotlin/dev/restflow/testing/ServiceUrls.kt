package dev.restflow.testing

import java.net.URI
import java.net.URLDecoder
import java.nio.charset.StandardCharsets

/** Parses the service URLs tests may be given through the environment. */
internal object ServiceUrls {
    /**
     * Accepts `jdbc:postgresql://host:port/db?user=u&password=p` and `postgresql://u:p@host:port/db`
     * (also `postgres://`), and returns the JDBC URL without credentials plus the credentials.
     */
    fun postgres(value: String): PostgresDatabase {
        val raw = value.trim()
        val uri = URI(raw.removePrefix("jdbc:"))
        require(uri.scheme == "postgresql" || uri.scheme == "postgres") {
            "RESTFLOW_TEST_POSTGRES_URL must be a jdbc:postgresql:// or postgresql:// URL, got scheme '${uri.scheme}'"
        }
        val query = (uri.rawQuery ?: "").split('&').filter { it.isNotEmpty() }.associate { pair ->
            val (k, v) = (pair.split('=', limit = 2) + "").take(2)
            decode(k) to decode(v)
        }
        val userInfo = uri.rawUserInfo?.split(':', limit = 2)
        val user = query["user"] ?: userInfo?.getOrNull(0)?.let(::decode) ?: "postgres"
        val password = query["password"] ?: userInfo?.getOrNull(1)?.let(::decode) ?: ""
        val rest = query.filterKeys { it != "user" && it != "password" }
            .entries.joinToString("&") { "${it.key}=${it.value}" }
        val port = if (uri.port > 0) uri.port else 5432
        val path = uri.rawPath?.takeIf { it.length > 1 } ?: "/postgres"
        val jdbc = "jdbc:postgresql://${uri.host}:$port$path" + if (rest.isEmpty()) "" else "?$rest"
        return PostgresDatabase(jdbc, user, password)
    }

    private fun decode(s: String): String = URLDecoder.decode(s, StandardCharsets.UTF_8)
}
