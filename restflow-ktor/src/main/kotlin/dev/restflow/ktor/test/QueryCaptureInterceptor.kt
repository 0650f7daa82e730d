package dev.restflow.ktor.test

import org.jetbrains.exposed.v1.core.Transaction
import org.jetbrains.exposed.v1.core.statements.GlobalStatementInterceptor
import org.jetbrains.exposed.v1.core.statements.StatementContext
import org.jetbrains.exposed.v1.core.statements.api.PreparedStatementApi
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction

/**
 * The global Exposed interceptor behind [CapturedQueries], found through `ServiceLoader`. While no capture is open it
 * returns at once, so applications that never capture pay one list check per statement.
 */
internal class QueryCaptureInterceptor : GlobalStatementInterceptor {
    override fun afterExecution(transaction: Transaction, contexts: List<StatementContext>, executedStatement: PreparedStatementApi) {
        val captures = CapturedQueries.active
        if (captures.isEmpty()) return
        val sql = contexts.firstOrNull()?.sql(transaction) ?: return
        val db = (transaction as? JdbcTransaction)?.db
        for (capture in captures) capture.offer(db, sql)
    }
}
