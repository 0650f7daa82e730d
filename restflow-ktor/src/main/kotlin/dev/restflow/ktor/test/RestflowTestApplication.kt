package dev.restflow.ktor.test

import dev.restflow.ktor.DefaultClockKey
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication

/**
 * Runs [block] against an in-process test application, like Ktor's `testApplication`, prepared for Restflow:
 * - the application's `Restflow` plugin uses [clock] (unless `install(Restflow) { clock = … }` names another), so
 *   `clock.advance(…)` moves token expiry, cache TTLs and throttle windows;
 * - [RestflowTestBuilder.client] sends and reads JSON, and [RestflowTestBuilder.forceAuthenticate] makes clients
 *   authenticated as any user without credentials.
 *
 * ```
 * restflowTestApplication {
 *     application { shopModule(config, database) }
 *     val alice = client.withToken(client.obtainToken("alice", "alice-pass").access)
 *     assertEquals(HttpStatusCode.OK, alice.get("/api/me").status)
 * }
 * ```
 *
 * Needs `io.ktor:ktor-server-test-host-jvm` and `ktor-client-content-negotiation-jvm` on the test classpath (both are
 * optional dependencies of restflow-ktor). Java: [RestflowTestServer].
 */
public fun restflowTestApplication(clock: TestClock = TestClock(), block: suspend RestflowTestBuilder.() -> Unit) {
    testApplication {
        val principals = ForcedPrincipals()
        application { prepareForTests(clock, principals) }
        RestflowTestBuilder(this, clock, principals).block()
    }
}

/** Puts the test clock and the forced-authentication plugin on [this] application, before its own modules. */
internal fun Application.prepareForTests(clock: TestClock, principals: ForcedPrincipals) {
    attributes.put(DefaultClockKey, clock)
    install(ForcedAuthentication) { this.principals = principals }
}
