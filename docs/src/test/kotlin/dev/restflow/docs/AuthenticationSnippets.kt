package dev.restflow.docs

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.auth.jwt.TokenVerification
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.restflow
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import kotlin.test.Test
import kotlin.test.assertEquals

class AuthenticationSnippets {
    @Test
    fun `tokens are issued and verified with the configured keys`() = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to "change-me-to-a-long-random-secret-value") }
        application {
            install(Restflow)
            routing {
                // region issue-and-verify
                get("/whoami") {
                    val jwt: JwtTokens = call.application.restflow.jwt!!
                    val header = call.request.headers[HttpHeaders.Authorization].orEmpty()
                    when (val result = jwt.verify(header.removePrefix("Bearer "), TokenType.ACCESS)) {
                        is TokenVerification.Valid -> call.respondText("user ${result.token.userId}")
                        is TokenVerification.Invalid -> throw ApiException.authenticationFailed(result.message)
                    }
                }
                // endregion
                get("/token") {
                    call.respondText(call.application.restflow.jwt!!.issue(TokenType.ACCESS, "42").token)
                }
            }
        }
        val token = client.get("/token").bodyAsText()
        assertEquals("user 42", client.get("/whoami") { header(HttpHeaders.Authorization, "Bearer $token") }.bodyAsText())
        val refused = client.get("/whoami") { header(HttpHeaders.Authorization, "Bearer nonsense") }
        assertEquals(HttpStatusCode.Unauthorized, refused.status)
        assertEquals("Bearer", refused.headers[HttpHeaders.WWWAuthenticate])
    }
}
