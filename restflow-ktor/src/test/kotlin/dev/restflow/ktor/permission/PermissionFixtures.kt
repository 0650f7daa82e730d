package dev.restflow.ktor.permission

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.AuthUser
import dev.restflow.ktor.auth.RestflowPrincipal
import io.ktor.client.request.header
import io.ktor.client.request.request
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpMethod
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.auth.authentication
import io.ktor.server.response.respondText
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication

class TestUser(override val id: String, override val isStaff: Boolean = false) : AuthUser {
    override val username: String get() = "user$id"
    override val passwordHash: String? get() = null
    override val isActive: Boolean get() = true
}

val alice = RestflowPrincipal(TestUser("1"))
val admin = RestflowPrincipal(TestUser("2", isStaff = true))

/** A permission answering fixed values and counting how often it is asked. */
class Counting(
    private val allow: Boolean,
    private val allowObject: Boolean = true,
    override val message: String = "counting says no",
    override val code: String = "counting_denied",
) : Permission {
    var calls: Int = 0
    var objectCalls: Int = 0

    override suspend fun hasPermission(call: ApplicationCall): Boolean {
        calls++
        return allow
    }

    override suspend fun hasObjectPermission(call: ApplicationCall, obj: Any): Boolean {
        objectCalls++
        return allowObject
    }
}

/** Runs [block] inside a real call to a test application, as [principal] if given, and returns its result. */
fun <T> onCall(principal: Any? = null, method: HttpMethod = HttpMethod.Get, block: suspend (ApplicationCall) -> T): T {
    var result: Result<T>? = null
    testApplication {
        application {
            install(Restflow)
            routing {
                route("/x") {
                    handle {
                        if (principal != null) call.authentication.principal(principal)
                        result = runCatching { block(call) }
                        call.respondText("ok")
                    }
                }
            }
        }
        client.request("/x") {
            this.method = method
            header(HttpHeaders.Accept, "*/*")
        }
    }
    return checkNotNull(result).getOrThrow()
}
