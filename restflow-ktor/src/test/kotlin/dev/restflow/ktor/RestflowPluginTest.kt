package dev.restflow.ktor

import dev.restflow.ktor.request.requestId
import dev.restflow.ktor.settings.RestflowConfigurationException
import dev.restflow.ktor.settings.ThrottleRate
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.server.application.install
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

class RestflowPluginTest {
    @Test
    fun `settings come from the application config and are available to routes`() = testApplication {
        environment { config = MapApplicationConfig("restflow.pagination.page-size" to "7", "restflow.throttle.rates.anon" to "3/min") }
        application {
            install(Restflow)
            routing {
                get("/size") {
                    val s = call.application.restflow.settings
                    call.respondText("${s.pagination.pageSize} ${s.throttle.rate("anon")} ${s.pagination.maxPageSize}")
                }
            }
        }
        assertEquals("7 3/min 100", client.get("/size").bodyAsText())
    }

    @Test
    fun `install-block overrides win over the application config`() = testApplication {
        environment { config = MapApplicationConfig("restflow.pagination.page-size" to "7", "restflow.pagination.max-page-size" to "50") }
        application {
            install(Restflow) {
                settings { pagination { pageSize = 9 } }
                settings { throttle { rate("user", ThrottleRate.parse("10/s")) } }
            }
            routing {
                get("/size") {
                    val s = call.application.restflow.settings
                    call.respondText("${s.pagination.pageSize} ${s.pagination.maxPageSize} ${s.throttle.rate("user")}")
                }
            }
        }
        assertEquals("9 50 10/s", client.get("/size").bodyAsText())
    }

    @Test
    fun `the application config can be ignored`() = testApplication {
        environment { config = MapApplicationConfig("restflow.pagination.page-size" to "oops") }
        application {
            install(Restflow) { readApplicationConfig(false) }
            routing { get("/size") { call.respondText(call.application.restflow.settings.pagination.pageSize.toString()) } }
        }
        assertEquals("20", client.get("/size").bodyAsText())
    }

    @Test
    fun `invalid configuration fails at start-up, not at the first request`() {
        val failure = assertFailsWith<RestflowConfigurationException> {
            testApplication {
                environment { config = MapApplicationConfig("restflow.jwt.algorithm" to "none") }
                application { install(Restflow) }
                startApplication()
            }
        }
        assertTrue(failure.problems.single().startsWith("restflow.jwt.algorithm: 'none' is not a valid choice"))
    }

    @Test
    fun `every response carries the request id and handlers can read it`() = testApplication {
        application {
            install(Restflow)
            routing { get("/id") { call.respondText(call.requestId) } }
        }
        val r = client.get("/id")
        assertEquals(r.headers["X-Request-Id"], r.bodyAsText())
    }

    @Test
    fun `the request id header is configurable`() = testApplication {
        environment { config = MapApplicationConfig("restflow.request.id-header" to "X-Correlation-Id") }
        application {
            install(Restflow)
            routing { get("/id") { call.respondText(call.requestId) } }
        }
        val r = client.get("/id") { headers.append("X-Correlation-Id", "abc-123") }
        assertEquals("abc-123", r.bodyAsText())
        assertEquals("abc-123", r.headers["X-Correlation-Id"])
    }
}

class RestflowJwtWiringTest {
    @Test
    fun `a configured signing key gives the application a token service`() = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to "x".repeat(32)) }
        application {
            install(Restflow)
            routing {
                get("/token") {
                    val jwt = call.application.restflow.jwt!!
                    val issued = jwt.issue(dev.restflow.ktor.auth.jwt.TokenType.ACCESS, "5")
                    call.respondText(jwt.verify(issued.token, dev.restflow.ktor.auth.jwt.TokenType.ACCESS).toString())
                }
            }
        }
        assertTrue(client.get("/token").bodyAsText().startsWith("Valid(VerifiedToken(type=ACCESS, userId=5"))
    }

    @Test
    fun `a short HMAC secret fails at start-up`() {
        val failure = assertFailsWith<RestflowConfigurationException> {
            testApplication {
                environment { config = MapApplicationConfig("restflow.jwt.signing-key" to "short") }
                application { install(Restflow) }
                startApplication()
            }
        }
        assertTrue(failure.problems.single().startsWith("restflow.jwt.signing-key: HS256 needs a secret of at least 32 bytes"))
    }
}
