package dev.restflow.sample

import dev.restflow.sample.database.ShopDatabase
import dev.restflow.sample.database.ShopSchema
import dev.restflow.sample.seed.Seeder
import io.ktor.server.application.ApplicationStopped
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.connector
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.netty.NettyApplicationEngine
import kotlinx.coroutines.runBlocking
import org.slf4j.LoggerFactory
import java.util.concurrent.CountDownLatch

/**
 * A running shop: database opened, schema created, seeded, Netty listening on [port].
 *
 * Start with [start]. [stop] (also run by Ktor's JVM shutdown hook on SIGTERM) lets in-flight requests finish
 * within the configured grace period, stops the engine within the timeout, then closes the database pool.
 */
class ShopServer private constructor(
    val config: SampleConfig,
    val database: ShopDatabase,
    private val server: EmbeddedServer<NettyApplicationEngine, NettyApplicationEngine.Configuration>,
    /** The port actually bound (differs from `config.port` when that is 0). */
    val port: Int,
    private val stopped: CountDownLatch,
) {
    /** The base URL of the running server, `http://localhost:<port>`. */
    val url: String get() = "http://localhost:$port"

    /** Stops the engine gracefully, then closes the database pool. Idempotent. */
    fun stop() {
        if (stopped.count == 0L) return
        server.stop(config.shutdownGracePeriodMillis, config.shutdownTimeoutMillis)
    }

    /** Blocks until the server stopped (by [stop] or the JVM shutdown hook). */
    fun awaitStop() {
        stopped.await()
    }

    companion object {
        private val log = LoggerFactory.getLogger(ShopServer::class.java)

        /** Opens the database, creates the schema, seeds an empty database, then starts Netty. */
        fun start(config: SampleConfig): ShopServer {
            log.info("Starting the shop: {}", config)
            if (config.jwtSigningKeyGenerated) {
                log.warn(
                    "RESTFLOW_JWT_SIGNING_KEY is not set: generated a random signing key; tokens will not survive " +
                        "a restart and are not valid on other instances",
                )
            }
            if (config.redisUrl == null) {
                log.info("REDIS_URL is not set: using the in-memory cache and in-process throttle counters")
            } else {
                log.info("REDIS_URL is set: {}", SampleConfig.redactUri(config.redisUrl))
            }

            val database = ShopDatabase.open(config)
            try {
                ShopSchema.create(database)
                Seeder.seedIfEmpty(database, config.seedProducts)

                val stopped = CountDownLatch(1)
                val server = embeddedServer(
                    Netty,
                    configure = {
                        connector {
                            host = config.host
                            port = config.port
                        }
                        shutdownGracePeriod = config.shutdownGracePeriodMillis
                        shutdownTimeout = config.shutdownTimeoutMillis
                    },
                    module = { shopModule(config, database) },
                )
                // Raised once the engine has stopped and the application is disposed: only then close the pool.
                server.monitor.subscribe(ApplicationStopped) {
                    database.close()
                    log.info("Shop stopped")
                    stopped.countDown()
                }
                server.start(wait = false)
                val port = runBlocking { server.engine.resolvedConnectors().first().port }
                log.info("Shop listening on http://localhost:{} (bound to {}:{})", port, config.host, port)
                return ShopServer(config, database, server, port, stopped)
            } catch (e: Throwable) {
                database.close()
                throw e
            }
        }
    }
}
