@file:JvmName("TokenBlacklists")

package dev.restflow.ktor.auth.blacklist

import dev.restflow.ktor.restflowKey
import dev.restflow.ktor.restflow
import dev.restflow.ktor.settings.BlacklistBackend
import dev.restflow.ktor.settings.RestflowConfigurationException
import io.ktor.server.application.Application
import io.ktor.util.AttributeKey

internal val TokenBlacklistKey: AttributeKey<BlacklistGuard> = restflowKey("restflow.jwt.blacklist")

/**
 * Registers the token blacklist of this application: [blacklist], or, when `null`, the one `restflow.jwt` describes
 * (`blacklist-backend = cache`: the application's cache). From then on `restflowJwt` refuses revoked access tokens
 * and `authRoutes` records revocations in it. `authRoutes` calls this itself when no blacklist is registered yet;
 * call it explicitly in services that only verify tokens, or to pass a [DatabaseTokenBlacklist].
 *
 * Call at start-up, after `install(Restflow)`. Throws [RestflowConfigurationException] when the settings ask for
 * the cache backend while the cache is in memory and `blacklist-allow-in-memory` is off (a token revoked on one
 * instance would stay valid on the others), when `blacklist-backend = database` and no [blacklist] is given, and
 * when `blacklist-enabled` is off.
 */
@JvmOverloads
public fun Application.installTokenBlacklist(blacklist: TokenBlacklist? = null): TokenBlacklist {
    val context = restflow
    val jwt = context.settings.jwt
    val p = "restflow.jwt"
    if (!jwt.blacklistEnabled) throw RestflowConfigurationException(listOf("$p.blacklist-enabled: is false, so no token blacklist can be installed"))
    val chosen = blacklist ?: run {
        if (jwt.blacklistBackend == BlacklistBackend.DATABASE) {
            throw RestflowConfigurationException(
                listOf("$p.blacklist-backend: database needs installTokenBlacklist(DatabaseTokenBlacklist(database)) at start-up"),
            )
        }
        if (jwt.blacklistCache != "default") {
            throw RestflowConfigurationException(
                listOf("$p.blacklist-cache: '${jwt.blacklistCache}' is not a configured cache; valid choices: default"),
            )
        }
        val url = context.settings.cache.url
        if ((url == null || url.startsWith("memory://", ignoreCase = true)) && !jwt.blacklistAllowInMemory) {
            throw RestflowConfigurationException(
                listOf(
                    "$p.blacklist-backend: the cache is in memory (restflow.cache.url is ${url ?: "not set"}), so a " +
                        "token revoked on one instance would stay valid on the others; set restflow.cache.url to a " +
                        "redis:// URL, use blacklist-backend = database, or set $p.blacklist-allow-in-memory = true " +
                        "for a single instance",
                ),
            )
        }
        CacheTokenBlacklist(context.cache, context.clock)
    }
    attributes.put(TokenBlacklistKey, BlacklistGuard(chosen, jwt.blacklistTimeout, jwt.blacklistFailOpen))
    return chosen
}

/** The blacklist registered by [installTokenBlacklist], or `null`. */
public val Application.tokenBlacklist: TokenBlacklist? get() = attributes.getOrNull(TokenBlacklistKey)?.blacklist
