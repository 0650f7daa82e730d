package dev.restflow.sample

import dev.restflow.ktor.settings.ThrottleRate
import java.nio.file.Path
import java.security.SecureRandom
import java.util.Base64

/**
 * Everything the shop reads from its environment, parsed once at start.
 *
 * Build it with [fromEnvironment]; tests pass a map instead of the real environment. `toString()` never shows the
 * database password or the JWT signing key.
 */
data class SampleConfig(
    /** TCP port to listen on; `0` picks a free port (the bound port is logged). */
    val port: Int = DEFAULT_PORT,
    /** Interface to bind. */
    val host: String = DEFAULT_HOST,
    /** JDBC URL of the shop database (H2 or PostgreSQL). */
    val databaseUrl: String,
    val databaseUser: String = "",
    val databasePassword: String = "",
    /** Redis URI (`redis://host:port/db`), or `null` for the in-memory cache and in-process counters. */
    val redisUrl: String? = null,
    /** Key that signs JWTs; random per start when [jwtSigningKeyGenerated]. */
    val jwtSigningKey: String,
    /** True when no `RESTFLOW_JWT_SIGNING_KEY` was given and [jwtSigningKey] was generated at start. */
    val jwtSigningKeyGenerated: Boolean = false,
    /**
     * Throttle rates by scope (`anon`, `user`, `auth`), from `RESTFLOW_THROTTLE_ANON|USER|AUTH`; defaults
     * anon `1000/min`, user `5000/min`, auth `20/min`.
     */
    val throttleRates: Map<String, String> = DEFAULT_THROTTLE_RATES,
    /** Number of products seeded into an empty database. */
    val seedProducts: Int = DEFAULT_SEED_PRODUCTS,
    /** Time in-flight requests get to finish on shutdown, in milliseconds. */
    val shutdownGracePeriodMillis: Long = DEFAULT_SHUTDOWN_GRACE_MILLIS,
    /** Hard bound on the engine's shutdown, in milliseconds. */
    val shutdownTimeoutMillis: Long = DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
) {
    init {
        require(port in 0..65535) { "PORT must be between 0 and 65535, got $port" }
        require(seedProducts >= 0) { "SAMPLE_SEED_PRODUCTS must be 0 or more, got $seedProducts" }
        require(databaseUrl.startsWith("jdbc:")) { "DATABASE_URL must be a JDBC URL (jdbc:...), got '$databaseUrl'" }
        require(jwtSigningKey.isNotEmpty()) { "RESTFLOW_JWT_SIGNING_KEY must not be empty" }
    }

    /** True when [databaseUrl] points at PostgreSQL. */
    val isPostgres: Boolean get() = databaseUrl.startsWith("jdbc:postgresql:")

    override fun toString(): String =
        "SampleConfig(port=$port, host=$host, databaseUrl=$databaseUrl, databaseUser=$databaseUser, " +
            "databasePassword=${if (databasePassword.isEmpty()) "" else "***"}, redisUrl=${redisUrl?.let(::redactUri)}, " +
            "jwtSigningKey=***, jwtSigningKeyGenerated=$jwtSigningKeyGenerated, throttleRates=$throttleRates, " +
            "seedProducts=$seedProducts)"

    companion object {
        const val DEFAULT_PORT: Int = 8080
        const val DEFAULT_HOST: String = "0.0.0.0"
        const val DEFAULT_SEED_PRODUCTS: Int = 50
        const val DEFAULT_SHUTDOWN_GRACE_MILLIS: Long = 1_000
        const val DEFAULT_SHUTDOWN_TIMEOUT_MILLIS: Long = 5_000
        val DEFAULT_THROTTLE_RATES: Map<String, String> = mapOf("anon" to "1000/min", "user" to "5000/min", "auth" to "20/min")

        /**
         * Reads `PORT`, `DATABASE_URL`, `DATABASE_USER`, `DATABASE_PASSWORD`, `REDIS_URL`,
         * `RESTFLOW_JWT_SIGNING_KEY`, `RESTFLOW_THROTTLE_ANON|USER|AUTH` and `SAMPLE_SEED_PRODUCTS` from [env]. Blank values count as absent.
         *
         * Without `DATABASE_URL` the database is an H2 file `data/shop` under [workingDirectory] in PostgreSQL
         * compatibility mode. Without `RESTFLOW_JWT_SIGNING_KEY` a 256-bit key is drawn from [random].
         *
         * @throws IllegalArgumentException naming the variable when a value is malformed.
         */
        fun fromEnvironment(
            env: Map<String, String>,
            workingDirectory: Path = Path.of(""),
            random: SecureRandom = SecureRandom(),
        ): SampleConfig {
            fun value(name: String): String? = env[name]?.trim()?.takeIf { it.isNotEmpty() }
            fun int(name: String, default: Int): Int = value(name)?.let {
                requireNotNull(it.toIntOrNull()) { "$name must be an integer, got '$it'" }
            } ?: default

            val signingKey = value("RESTFLOW_JWT_SIGNING_KEY")
            return SampleConfig(
                port = int("PORT", DEFAULT_PORT),
                databaseUrl = value("DATABASE_URL") ?: defaultH2Url(workingDirectory),
                databaseUser = value("DATABASE_USER") ?: "",
                databasePassword = env["DATABASE_PASSWORD"] ?: "",
                redisUrl = value("REDIS_URL"),
                jwtSigningKey = signingKey ?: randomKey(random),
                jwtSigningKeyGenerated = signingKey == null,
                seedProducts = int("SAMPLE_SEED_PRODUCTS", DEFAULT_SEED_PRODUCTS),
                throttleRates = DEFAULT_THROTTLE_RATES.mapValues { (scope, default) ->
                    value("RESTFLOW_THROTTLE_${scope.uppercase()}")?.also {
                        require(ThrottleRate.parseOrNull(it) != null) {
                            "RESTFLOW_THROTTLE_${scope.uppercase()} must be a rate such as 100/min, got '$it'"
                        }
                    } ?: default
                },
            )
        }

        /** The default database: an H2 file `data/shop` under [workingDirectory], PostgreSQL compatibility mode. */
        fun defaultH2Url(workingDirectory: Path): String {
            val file = workingDirectory.toAbsolutePath().normalize().resolve("data").resolve("shop")
            // DB_CLOSE_ON_EXIT=FALSE: the app closes its pool after the engine stopped; H2's own shutdown hook
            // would otherwise close the database under requests still finishing in the grace period.
            // TRACE_LEVEL_FILE=0: Exposed probes every column of H2's generated-keys result set after an INSERT,
            // and H2 writes a stack trace per missing column into data/shop.trace.db (errors still reach the app).
            return "jdbc:h2:file:$file;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;" +
                "DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0"
        }

        private fun randomKey(random: SecureRandom): String {
            val bytes = ByteArray(32).also(random::nextBytes)
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
        }

        /** [uri] with credentials replaced by `***`, for logs. */
        fun redactUri(uri: String): String = uri.replace(Regex("//[^@/]*@"), "//***@")
    }
}
