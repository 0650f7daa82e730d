package dev.restflow.ktor.settings

/** Where revoked JWTs are remembered (`restflow.jwt.blacklist-backend`). */
public enum class BlacklistBackend(
    /** The name used in configuration. */
    public val configName: String,
) {
    /** A cache backend (Redis for several instances; in memory only with `blacklist-allow-in-memory`). */
    CACHE("cache"),

    /** The application's database (table `restflow_blacklisted_tokens`). */
    DATABASE("database"),
}
