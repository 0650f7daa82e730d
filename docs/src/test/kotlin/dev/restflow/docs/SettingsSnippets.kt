package dev.restflow.docs

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.restflow
import dev.restflow.ktor.settings.JwtAlgorithm
import dev.restflow.ktor.settings.RestflowSettings
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.server.application.install
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import java.time.Duration
import kotlin.test.Test
import kotlin.test.assertEquals

class SettingsSnippets {
    @Test
    fun `settings are overridden in the install block`() = testApplication {
        application {
            // region install-overrides
            install(Restflow) {
                settings {
                    jwt {
                        signingKey = System.getenv("JWT_KEY") ?: "dev-only-secret".repeat(5)
                        algorithm = JwtAlgorithm.HS512
                        accessTokenLifetime = Duration.ofMinutes(15)
                    }
                    throttle { rate("uploads", "10/hour") }
                }
            }
            // endregion
            routing {
                get("/s") {
                    // region read-settings
                    val settings = call.application.restflow.settings
                    val lifetime: Duration = settings.jwt.accessTokenLifetime
                    // endregion
                    call.respondText("$lifetime ${settings.throttle.rate("uploads")}")
                }
            }
        }
        assertEquals("PT15M 10/hour", client.get("/s").bodyAsText())
    }

    @Test
    fun `tests override settings per application`() {
        // region test-overrides
        testApplication {
            environment {
                config = MapApplicationConfig(
                    "restflow.pagination.page-size" to "5",
                    "restflow.throttle.rates.anon" to "3/min",
                )
            }
            application { install(Restflow) }
        }
        // endregion
    }

    @Test
    fun `settings are built without Ktor`() {
        // region builder
        val settings = RestflowSettings.builder().apply {
            pagination { pageSize = 50 }
            cache { dispatchers { threadpool { maxWorkers = 8 } } }
        }.build()
        // endregion
        assertEquals(50, settings.pagination.pageSize)
        assertEquals(8, settings.cache.dispatchers.threadpool.maxWorkers)
    }
}
