package dev.restflow.ktor.test

import dev.restflow.RestflowDsl
import dev.restflow.ktor.auth.AuthUser
import io.ktor.client.HttpClient
import io.ktor.client.plugins.contentnegotiation.ContentNegotiation
import io.ktor.client.plugins.defaultRequest
import io.ktor.serialization.kotlinx.json.json
import io.ktor.server.application.Application
import io.ktor.server.testing.ApplicationTestBuilder

/**
 * The receiver of [restflowTestApplication]: add modules with [application], call the application with [client], move
 * time with [clock]. Everything of Ktor's builder stays reachable through [ktor].
 */
@RestflowDsl
public class RestflowTestBuilder internal constructor(
    /** Ktor's own test builder (environment, external services, engine settings, more clients). */
    public val ktor: ApplicationTestBuilder,
    /** The clock the application's `Restflow` plugin reads; move it with [TestClock.advance]. */
    public val clock: TestClock,
    private val principals: ForcedPrincipals,
) {
    /** Adds a module to the application (call it before the first request), e.g. `application { shopModule() }`. */
    public fun application(module: suspend Application.() -> Unit) {
        ktor.application(module)
    }

    /** The application; its modules run at the first call or at [startApplication]. */
    public val application: Application get() = ktor.application

    /** Runs the application's modules now, before any call (e.g. to read `application.restflow`). */
    public suspend fun startApplication() {
        ktor.startApplication()
    }

    /** A client of the application that sends and reads JSON through kotlinx-serialization. */
    public val client: HttpClient by lazy { jsonClient(ktor) }

    /**
     * A client like [this] whose calls are authenticated as [user] without credentials (DRF's `force_authenticate`):
     * routes see a `RestflowPrincipal(user)` with no token, inside `authenticate { }` whatever its providers. Works only
     * against this test application (see [restflowTestApplication]); tokens are not issued or verified, so use
     * [obtainToken] to test authentication itself.
     */
    public fun HttpClient.forceAuthenticate(user: AuthUser): HttpClient {
        val value = principals.register(user)
        return config { defaultRequest { headers.append(FORCED_PRINCIPAL_HEADER, value) } }
    }

    /** [client] authenticated as [user]; see the `HttpClient` form. */
    public fun forceAuthenticate(user: AuthUser): HttpClient = client.forceAuthenticate(user)
}

/** A JSON client of a test application. */
internal fun jsonClient(provider: io.ktor.server.testing.ClientProvider): HttpClient =
    provider.createClient { install(ContentNegotiation) { json() } }
