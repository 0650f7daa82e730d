package dev.restflow.ktor.view

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import org.jetbrains.exposed.v1.jdbc.transactions.suspendTransaction

/**
 * Where a view's database work runs: Exposed suspended transactions on [database] (the default database when
 * `null`) on [dispatcher], a bounded slice of `Dispatchers.IO` by default, so blocking JDBC never runs on Ktor's
 * event loop and a burst of slow queries cannot take every IO thread.
 */
public class DatabaseAccess(
    /** The database, or `null` for Exposed's default (the last one connected). */
    public val database: Database? = null,
    /** The dispatcher blocking JDBC calls run on. */
    public val dispatcher: CoroutineDispatcher = DEFAULT_DISPATCHER,
) {
    /** Runs [block] in a transaction: the current one when called inside a transaction, otherwise a new one. */
    public suspend fun <T> transaction(block: suspend JdbcTransaction.() -> T): T {
        val current = TransactionManager.currentOrNull()
        if (current != null) return current.block()
        return withContext(dispatcher) { suspendTransaction(database) { block() } }
    }

    public companion object {
        /** The number of JDBC calls that may block at once on [DEFAULT_DISPATCHER]. */
        public const val DEFAULT_PARALLELISM: Int = 64

        /** `Dispatchers.IO` limited to [DEFAULT_PARALLELISM] threads. */
        @JvmField
        public val DEFAULT_DISPATCHER: CoroutineDispatcher = Dispatchers.IO.limitedParallelism(DEFAULT_PARALLELISM)

        /** Exposed's default database on [DEFAULT_DISPATCHER]. */
        @JvmField
        public val DEFAULT: DatabaseAccess = DatabaseAccess()
    }
}
