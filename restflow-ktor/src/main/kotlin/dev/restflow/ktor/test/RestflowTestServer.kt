package dev.restflow.ktor.test

import io.ktor.server.application.Application
import io.ktor.server.testing.TestApplication
import kotlinx.coroutines.runBlocking
import java.util.function.Consumer

/**
 * An in-process test application for Java tests (Kotlin tests use [restflowTestApplication]): started by [start],
 * called through the blocking [client], stopped by [close] (use try-with-resources).
 *
 * ```java
 * try (RestflowTestServer server = RestflowTestServer.start(app -> ShopModuleKt.shopModule(app, config, db))) {
 *     TestHttpClient alice = server.client().withToken(server.client().obtainToken("alice", "alice-pass").getAccess());
 *     assertEquals(200, alice.get("/api/me").status());
 * }
 * ```
 *
 * The application's `Restflow` plugin uses [clock] unless its install block names another clock, and
 * [TestHttpClient.forceAuthenticate] authenticates without credentials, as in [restflowTestApplication].
 */
public class RestflowTestServer private constructor(
    private val app: TestApplication,
    private val testClock: TestClock,
    private val principals: ForcedPrincipals,
) : AutoCloseable {
    private val json = lazy { TestHttpClient(jsonClient(app), principals) }

    /** The clock the application's `Restflow` plugin reads. */
    public fun clock(): TestClock = testClock

    /** The running application. */
    public fun application(): Application = app.application

    /** A blocking JSON client of the application. */
    public fun client(): TestHttpClient = json.value

    /** Stops the application. */
    override fun close() {
        if (json.isInitialized()) json.value.close()
        runBlocking { app.stop() }
    }

    public companion object {
        /** Starts an application made of [module] (e.g. `app -> ShopModuleKt.shopModule(app, …)`) with [clock]. */
        @JvmStatic
        @JvmOverloads
        public fun start(module: Consumer<Application>, clock: TestClock = TestClock()): RestflowTestServer {
            val principals = ForcedPrincipals()
            val app = TestApplication {
                application {
                    prepareForTests(clock, principals)
                    module.accept(this)
                }
            }
            runBlocking { app.start() }
            return RestflowTestServer(app, clock, principals)
        }
    }
}
