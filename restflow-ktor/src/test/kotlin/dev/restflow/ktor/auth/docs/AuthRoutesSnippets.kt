package dev.restflow.ktor.auth.docs

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.ApiTokenLookup
import dev.restflow.ktor.auth.MapUserStore
import dev.restflow.ktor.auth.RestflowPrincipal
import dev.restflow.ktor.auth.authRoutes
import dev.restflow.ktor.auth.blacklist.DatabaseTokenBlacklist
import dev.restflow.ktor.auth.blacklist.installTokenBlacklist
import dev.restflow.ktor.auth.jwt.TestKeys
import dev.restflow.ktor.auth.password.BcryptPasswordHasher
import dev.restflow.ktor.auth.password.DelegatingPasswordHasher
import dev.restflow.ktor.auth.password.Pbkdf2PasswordHasher
import dev.restflow.ktor.auth.restflowBasic
import dev.restflow.ktor.auth.restflowJwt
import dev.restflow.ktor.auth.restflowToken
import dev.restflow.ktor.auth.shopUsers
import io.ktor.client.request.post
import io.ktor.client.request.setBody
import io.ktor.http.ContentType
import io.ktor.http.HttpStatusCode
import io.ktor.http.contentType
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.principal
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import org.jetbrains.exposed.v1.jdbc.Database
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals

class AuthRoutesSnippets {
    private val shopUsers: MapUserStore = shopUsers()
    private val apiKeys = mapOf("k-alice" to "1")

    @Test
    fun `auth routes with a database blacklist and several authenticators`() = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to TestKeys.SECRET, "restflow.jwt.blacklist-backend" to "database") }
        val database = Database.connect("jdbc:h2:mem:docs-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", driver = "org.h2.Driver")
        application {
            // region auth-routes
            install(Restflow)
            // blacklist-backend = database: pass the table's store (cache backend: installTokenBlacklist())
            installTokenBlacklist(DatabaseTokenBlacklist(database).also { it.createTable() })
            val hasher = DelegatingPasswordHasher(Pbkdf2PasswordHasher(), BcryptPasswordHasher())
            install(Authentication) {
                restflowJwt("jwt") { userStore = shopUsers }
                restflowBasic("basic") { userStore = shopUsers; this.hasher = hasher }
                restflowToken("api-key") { lookup = ApiTokenLookup { key -> apiKeys[key]?.let { shopUsers.findById(it) } } }
            }
            routing {
                val auth = authRoutes("/api/auth") {
                    userStore = shopUsers
                    this.hasher = hasher
                }
                authenticate("jwt", "basic", "api-key") {
                    get("/api/me") { call.respondText(call.principal<RestflowPrincipal>()!!.user.username) }
                    get("/api/logout-everywhere") {
                        auth.logoutEverywhere(call.principal<RestflowPrincipal>()!!.user.id)
                        call.respondText("bye")
                    }
                }
            }
            // endregion
        }
        val response = client.post("/api/auth/token") {
            contentType(ContentType.Application.Json)
            setBody("""{"username":"alice","password":"wrong"}""")
        }
        assertEquals(HttpStatusCode.Unauthorized, response.status)
    }
}
