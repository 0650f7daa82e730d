package dev.restflow.ktor.auth

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.blacklist.installTokenBlacklist
import dev.restflow.ktor.settings.RestflowConfigurationException
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.testing.testApplication
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking
import java.time.Duration
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals

class AuthRoutesTest {
    private fun flow(
        config: Map<String, String> = emptyMap(),
        block: suspend AuthTestApp.() -> Unit,
    ) = AuthTestApp(config = config).use { runBlocking { it.block() } }

    @Test
    fun `obtain returns an access and a refresh token, and whoami works with Bearer and bearer`() = flow {
        val pair = login()
        me(pair.access).assertOk("alice")
        me(pair.access, "bearer").assertOk("alice")
        me(pair.refresh).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Wrong token type, expected 'access'.")
    }

    @Test
    fun `wrong password, unknown user and inactive user get the same 401`() = flow {
        val expected = "No active account found with the given credentials."
        for (body in listOf(
            """{"username":"alice","password":"nope"}""",
            """{"username":"nobody","password":"alice-pass"}""",
            """{"username":"carol","password":"carol-pass"}""",
        )) {
            post("/api/auth/token", body).assertError(HttpStatusCode.Unauthorized, "authentication_failed", expected)
        }
    }

    @Test
    fun `missing or blank fields are 400 field errors and malformed JSON is a parse error`() = flow {
        val missing = post("/api/auth/token", """{"username":"  "}""")
        missing.assertError(HttpStatusCode.BadRequest, "validation_error")
        val details = missing.json().getValue("error").toString()
        assertContains(details, """"username":["This field is required."]""")
        assertContains(details, """"password":["This field is required."]""")
        post("/api/auth/token", """{"username":""").assertError(HttpStatusCode.BadRequest, "parse_error")
        post("/api/auth/token", """[1,2]""").assertError(HttpStatusCode.BadRequest, "parse_error")
        post("/api/auth/token/refresh", """{}""").assertError(HttpStatusCode.BadRequest, "validation_error")
    }

    @Test
    fun `refresh rotates, blacklisting the old refresh token`() = flow {
        val first = login()
        val second = refresh(first.refresh).also { it.assertOk() }.json()
        assertNotEquals(first.refresh, second.refresh)
        me(second.access).assertOk("alice")
        refresh(second.refresh).assertOk()
    }

    @Test
    fun `R-08 reusing a rotated refresh token revokes the whole family`() = flow {
        val first = login()
        val second = refresh(first.refresh).json()
        refresh(first.refresh).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
        refresh(second.refresh).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
        me(second.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
        // another log-in of the same user is another family and keeps working
        val other = login()
        refresh(other.refresh).assertOk()
    }

    @Test
    fun `R-08 two concurrent refreshes of one token let exactly one through`() = flow {
        val pair = login()
        val statuses = coroutineScope { (1..8).map { async { refresh(pair.refresh).status } }.awaitAll() }
        assertEquals(1, statuses.count { it == HttpStatusCode.OK }, statuses.toString())
        assertEquals(7, statuses.count { it == HttpStatusCode.Unauthorized }, statuses.toString())
    }

    @Test
    fun `without rotation refresh returns a new access token and the same refresh token`() =
        flow(mapOf("restflow.jwt.rotate-refresh-tokens" to "false")) {
            val pair = login()
            val again = refresh(pair.refresh).json()
            assertEquals(pair.refresh, again.refresh)
            me(again.access).assertOk("alice")
            refresh(pair.refresh).assertOk()
        }

    @Test
    fun `R-07 an access token at the refresh endpoint is refused`() = flow {
        refresh(login().access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Wrong token type, expected 'refresh'.")
        refresh("garbage").assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token is invalid.")
    }

    @Test
    fun `blacklist logs out the refresh token, its family and the presented access token`() = flow {
        val pair = login()
        val response = post("/api/auth/token/blacklist", """{"refresh":"${pair.refresh}"}""", "Bearer ${pair.access}")
        assertEquals(HttpStatusCode.NoContent, response.status)
        refresh(pair.refresh).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
        me(pair.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
        assertEquals(HttpStatusCode.NoContent, post("/api/auth/token/blacklist", """{"refresh":"${pair.refresh}"}""").status)
    }

    @Test
    fun `log out everywhere revokes every token of the user issued so far, not later ones`() = flow {
        val a = login()
        val b = login()
        post("/api/logout-everywhere", "", "Bearer ${a.access}").assertOk()
        me(a.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
        me(b.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
        refresh(b.refresh).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has been blacklisted.")
        clock.now = clock.now.plusSeconds(1)
        me(login().access).assertOk("alice")
        val bob = login("bob")
        me(bob.access).assertOk("bob")
    }

    @Test
    fun `refresh re-checks that the user still exists, is active and kept the password`() =
        flow(mapOf("restflow.jwt.check-revoke-token" to "true")) {
            val alice = login()
            store.users["1"] = TestUser("1", "alice", store.users.getValue("1").passwordHash, isActive = false)
            refresh(alice.refresh).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "User is inactive.")
            store.users["1"] = TestUser("1", "alice", testHasher.hash("new-pass"))
            refresh(alice.refresh).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "The user's password has been changed.")
            me(alice.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "The user's password has been changed.")
            val bob = login("bob")
            store.users.remove("2")
            refresh(bob.refresh).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "User not found.")
            me(bob.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "User not found.")
        }

    @Test
    fun `R-05 tokens expire by the injected clock, with leeway on both sides`() =
        flow(mapOf("restflow.jwt.leeway" to "10s")) {
            val pair = login()
            clock.now = clock.now.plus(Duration.ofMinutes(5)).plusSeconds(9)
            me(pair.access).assertOk("alice")
            clock.now = clock.now.plusSeconds(1)
            me(pair.access).assertError(HttpStatusCode.Unauthorized, "authentication_failed", "Token has expired.")
            refresh(pair.refresh).assertOk()
        }

    @Test
    fun `an in-memory cache blacklist is refused at start-up unless allowed`() {
        val error = assertFailsWith<RestflowConfigurationException> {
            testApplication {
                environment { config = MapApplicationConfig("restflow.jwt.signing-key" to dev.restflow.ktor.auth.jwt.TestKeys.SECRET) }
                application {
                    install(Restflow)
                    installTokenBlacklist()
                }
                startApplication()
            }
        }
        assertContains(error.message!!, "blacklist-allow-in-memory = true")
        assertContains(error.message!!, "redis://")
    }
}
