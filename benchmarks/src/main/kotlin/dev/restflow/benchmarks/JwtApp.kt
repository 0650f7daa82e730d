package dev.restflow.benchmarks

import com.auth0.jwt.JWT
import com.auth0.jwt.algorithms.Algorithm
import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.AuthUser
import dev.restflow.ktor.auth.RestflowPrincipal
import dev.restflow.ktor.auth.UserStore
import dev.restflow.ktor.auth.blacklist.installTokenBlacklist
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.auth.restflowJwt
import dev.restflow.ktor.restflow
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.jwt.JWTPrincipal
import io.ktor.server.auth.jwt.jwt
import io.ktor.server.auth.principal
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing

/**
 * The application of the JwtRoute benchmarks: `GET /rf/me` behind Restflow's `restflowJwt` and `GET /plain/me`
 * behind Ktor's `jwt` provider verifying the same HS256 token and looking up the same user. With [redisUrl], the
 * cache is that Redis and the token blacklist is installed on it, so every Restflow call also asks Redis whether the
 * token was revoked; without it no blacklist is installed. With [netty] the application is served by Netty over
 * loopback sockets ([NettyBenchServer]) instead of the in-memory test engine ([BenchServer]). With [nearCache],
 * `restflow.jwt.blacklist-near-cache` is on.
 */
public class JwtApp @JvmOverloads constructor(redisUrl: String? = null, netty: Boolean = false, nearCache: Boolean = false) : AutoCloseable {
    private class User(override val id: String, override val username: String) : AuthUser {
        override val passwordHash: String? = null
        override val isActive: Boolean = true
        override val isStaff: Boolean = false
    }

    private object Users : UserStore {
        private val users = (1..100).associate { "$it" to User("$it", "user$it") }
        override suspend fun findById(id: String): AuthUser? = users[id]
        override suspend fun findByUsername(username: String): AuthUser? = users.values.firstOrNull { it.username == username }
    }

    private var issued: String? = null

    private val config = mapOf("restflow.jwt.signing-key" to KEY, "restflow.jwt.blacklist-near-cache" to "$nearCache") +
        (redisUrl?.let { mapOf("restflow.cache.url" to it) } ?: emptyMap())

    private val module: io.ktor.server.application.Application.() -> Unit = {
        install(Restflow)
        if (redisUrl != null) installTokenBlacklist()
        issued = restflow.jwt!!.issue(TokenType.ACCESS, "42").token
        install(Authentication) {
            restflowJwt("restflow") { userStore = Users }
            jwt("plain") {
                verifier(JWT.require(Algorithm.HMAC256(KEY)).withClaim(TokenType.CLAIM, TokenType.ACCESS.claimValue).build())
                validate { credential ->
                    val id = credential.payload.getClaim("user_id").asString()
                    if (id != null && Users.findById(id)?.isActive == true) JWTPrincipal(credential.payload) else null
                }
            }
        }
        routing {
            authenticate("restflow") {
                get("/rf/me") { call.respondText(call.principal<RestflowPrincipal>()!!.user.username) }
            }
            authenticate("plain") {
                get("/plain/me") {
                    val id = call.principal<JWTPrincipal>()!!.payload.getClaim("user_id").asString()
                    call.respondText(Users.findById(id)!!.username)
                }
            }
        }
    }

    /** The served application. */
    public val server: BenchClient = if (netty) NettyBenchServer(config, module) else BenchServer(config, module)

    /** `Authorization: Bearer <access token for user 42>`, signed by Restflow. */
    public val headers: Map<String, String> = mapOf("Authorization" to "Bearer ${checkNotNull(issued)}")

    /** Fails unless both routes answer user 42's name, so a refusal is never what gets measured. */
    public fun checkAnswers() {
        val restflow = server.get("/rf/me", headers)
        val plain = server.get("/plain/me", headers)
        check(restflow == "user42" && plain == "user42") { "unexpected answers: $restflow / $plain" }
    }

    override fun close(): Unit = server.close()

    private companion object {
        const val KEY = "benchmark-signing-key-that-is-long-enough-for-hs256"
    }
}
