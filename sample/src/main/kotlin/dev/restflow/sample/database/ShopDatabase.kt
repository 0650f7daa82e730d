package dev.restflow.sample.database

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.restflow.sample.SampleConfig
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import org.slf4j.LoggerFactory
import java.io.Closeable

/**
 * The shop's connection pool and the Exposed [Database] over it.
 *
 * Open with [open]; [close] (idempotent) unregisters the database from Exposed and closes the pool, which for
 * an H2 file database also closes the database file cleanly. The server closes it after the engine stopped.
 */
class ShopDatabase private constructor(
    /** The pool; exposed for health checks and tests. */
    val dataSource: HikariDataSource,
    /** The Exposed database every transaction of the shop runs on: always pass it (`transaction(db) { }`). */
    val db: Database,
) : Closeable {

    /** True once [close] ran. */
    val isClosed: Boolean get() = dataSource.isClosed

    override fun close() {
        if (dataSource.isClosed) return
        runCatching { TransactionManager.closeAndUnregister(db) }
        dataSource.close()
        log.info("Database pool closed")
    }

    companion object {
        private val log = LoggerFactory.getLogger(ShopDatabase::class.java)

        /** Opens a pool of at most [maxPoolSize] connections to the database [config] names. */
        fun open(config: SampleConfig, maxPoolSize: Int = 10): ShopDatabase {
            val hikari = HikariConfig().apply {
                poolName = "shop-db"
                jdbcUrl = config.databaseUrl
                username = config.databaseUser.ifEmpty { null }
                password = config.databasePassword.ifEmpty { null }
                maximumPoolSize = maxPoolSize
                minimumIdle = 1
                connectionTimeout = 10_000
                // Exposed manages commits itself.
                isAutoCommit = false
                if (config.isPostgres) {
                    // One multi-row INSERT per JDBC batch: seeding a million products is several times faster.
                    addDataSourceProperty("reWriteBatchedInserts", "true")
                }
            }
            val dataSource = HikariDataSource(hikari)
            val db = try {
                Database.connect(dataSource)
            } catch (e: Exception) {
                dataSource.close()
                throw e
            }
            return ShopDatabase(dataSource, db)
        }
    }
}
