package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.TextColumnType
import org.jetbrains.exposed.v1.core.statements.StatementType
import org.jetbrains.exposed.v1.core.vendors.PostgreSQLDialect
import org.jetbrains.exposed.v1.jdbc.Query
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager

/**
 * The PostgreSQL planner's row estimate of a query, used instead of COUNT for huge tables (drf-restflow's and
 * Django's "estimated count"). An unfiltered, ungrouped query over one table reads `pg_class.reltuples` (kept by
 * ANALYZE and autovacuum); any other query reads the top plan node's `Plan Rows` from `EXPLAIN (FORMAT JSON)` of the
 * very SQL and bound arguments Exposed would run. An estimate below [threshold] (or a table never analyzed, or
 * another dialect) is no estimate: the caller counts exactly, so small results keep exact counts.
 */
internal class CountEstimator(private val threshold: Long) {
    init {
        require(threshold >= 0) { "The estimated-count threshold must not be negative, got $threshold" }
    }

    /** The estimate of [query]'s row count, or `null` when the exact COUNT must be used. Inside a transaction. */
    fun estimate(query: Query): Long? {
        val transaction = TransactionManager.current()
        if (transaction.db.dialect !is PostgreSQLDialect) return null
        val table = query.set.source as? Table
        val plain = table != null && query.where == null && query.groupedByColumns.isEmpty() && query.having == null &&
            !query.distinct && query.distinctOn.isNullOrEmpty() && query.limit == null && query.offset == 0L
        val estimate = if (plain) tableEstimate(table) else planEstimate(query)
        return estimate?.takeIf { it >= threshold }
    }

    private fun tableEstimate(table: Table): Long? {
        val transaction = TransactionManager.current()
        // to_regclass parses the name as SQL does, so a quoted or schema-qualified identity resolves too
        return transaction.exec(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)",
            listOf(TextColumnType() to transaction.identity(table)),
            StatementType.SELECT,
        ) { rs -> if (rs.next()) rs.getLong(1).takeIf { !rs.wasNull() } else null }
    }

    private fun planEstimate(query: Query): Long? {
        val transaction = TransactionManager.current()
        val sql = query.prepareSQL(transaction, prepared = true)
        val arguments = query.arguments().firstOrNull().orEmpty()
        val plan = transaction.exec("EXPLAIN (FORMAT JSON) $sql", arguments, StatementType.SELECT) { rs ->
            if (rs.next()) rs.getString(1) else null
        } ?: return null
        // the top node's own properties precede its "Plans", so the first "Plan Rows" is the query's estimate
        return PLAN_ROWS.find(plan)?.groupValues?.get(1)?.toDoubleOrNull()?.toLong()
    }

    private companion object {
        val PLAN_ROWS = Regex("\"Plan Rows\"\\s*:\\s*([0-9]+(?:\\.[0-9]+)?)")
    }
}
