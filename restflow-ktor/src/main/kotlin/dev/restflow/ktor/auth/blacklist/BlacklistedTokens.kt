package dev.restflow.ktor.auth.blacklist

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table

/**
 * The Exposed table of [DatabaseTokenBlacklist]: `restflow_blacklisted_tokens(jti varchar(255) unique,
 * expires_at bigint indexed, not_before bigint null)`, times in epoch seconds. Include it in your migrations or
 * create it with [DatabaseTokenBlacklist.createTable].
 */
public object BlacklistedTokens : Table("restflow_blacklisted_tokens") {
    /** The entry id: `jti:<jti>`, `family:<id>` or `user:<id>`. */
    public val jti: Column<String> = varchar("jti", 255).uniqueIndex()

    /** When the entry may be deleted (epoch seconds). */
    public val expiresAt: Column<Long> = long("expires_at").index()

    /** For `user:` entries: tokens issued at or before this instant are revoked (epoch seconds). */
    public val notBefore: Column<Long?> = long("not_before").nullable()
}
