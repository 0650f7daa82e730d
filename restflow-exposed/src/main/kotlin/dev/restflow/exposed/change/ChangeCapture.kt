package dev.restflow.exposed.change

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Expression
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.Transaction
import org.jetbrains.exposed.v1.core.statements.BatchReplaceStatement
import org.jetbrains.exposed.v1.core.statements.BatchUpdateStatement
import org.jetbrains.exposed.v1.core.statements.BatchUpsertStatement
import org.jetbrains.exposed.v1.core.statements.DeleteStatement
import org.jetbrains.exposed.v1.core.statements.GlobalStatementInterceptor
import org.jetbrains.exposed.v1.core.statements.InsertStatement
import org.jetbrains.exposed.v1.core.statements.ReplaceStatement
import org.jetbrains.exposed.v1.core.statements.Statement
import org.jetbrains.exposed.v1.core.statements.StatementContext
import org.jetbrains.exposed.v1.core.statements.StatementType
import org.jetbrains.exposed.v1.core.statements.UpdateStatement
import org.jetbrains.exposed.v1.core.statements.UpsertStatement
import org.jetbrains.exposed.v1.core.statements.api.PreparedStatementApi
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction
import java.util.Collections
import java.util.IdentityHashMap
import java.util.concurrent.atomic.AtomicInteger

/**
 * The global statement interceptor behind [ChangeFeed], found by Exposed through `ServiceLoader`. Writes are
 * recorded against the outermost transaction, tagged with the (possibly nested) transaction that ran them, and
 * published after the outermost commit; a rollback drops what the rolled-back transaction and its nested ones ran.
 */
public class ChangeCapture : GlobalStatementInterceptor {
    private class Recorded(val by: Transaction, val change: TableChange)

    override fun afterExecution(transaction: Transaction, contexts: List<StatementContext>, executedStatement: PreparedStatementApi) {
        if (!ChangeFeed.active) return
        // A batch runs one statement in several contexts; its arguments already hold every row, so read it once.
        val changes = contexts.map { it.statement }.distinct().mapNotNull(::changeOf)
        if (changes.isEmpty()) return
        val outer = outermost(transaction)
        synchronized(buffers) {
            val buffer = buffers.getOrPut(outer) { ArrayList<Recorded>().also { pending.incrementAndGet() } }
            for (c in changes) buffer += Recorded(transaction, c)
        }
    }

    override fun beforeCommit(transaction: Transaction) {
        if (!ChangeFeed.beforeCommitActive || pending.get() == 0 || outermost(transaction) !== transaction) return
        val jdbc = transaction as? JdbcTransaction ?: return
        // A snapshot: what the listeners write joins the transaction (and its buffer) while they run.
        val recorded = synchronized(buffers) { buffers[transaction]?.toList() } ?: return
        ChangeFeed.publishBeforeCommit(jdbc, recorded.map { it.change })
    }

    override fun afterCommit(transaction: Transaction) {
        // Commits while nothing is buffered anywhere skip the shared map's lock.
        if (pending.get() == 0 || outermost(transaction) !== transaction) return
        val recorded = synchronized(buffers) { buffers.remove(transaction)?.also { pending.decrementAndGet() } } ?: return
        val db = (transaction as? JdbcTransaction)?.db ?: return
        ChangeFeed.publish(db, recorded.map { it.change })
    }

    override fun afterRollback(transaction: Transaction) {
        if (pending.get() == 0) return
        val outer = outermost(transaction)
        synchronized(buffers) {
            if (outer === transaction) {
                if (buffers.remove(transaction) != null) pending.decrementAndGet()
            } else {
                buffers[outer]?.removeAll { within(it.by, transaction) }
            }
        }
    }

    private fun changeOf(statement: Statement<*>): TableChange? {
        val change = when (statement) {
            is BatchUpdateStatement -> {
                val id = statement.table.id
                val rows = statement.data.map { (entityId, values) -> plainRow(values) + (id to entityId.value) }
                TableChange(statement.table, ChangeKind.UPDATE, rows, statement.data.flatMapTo(LinkedHashSet()) { it.second.keys }, false)
            }
            is UpdateStatement -> {
                val table = statement.targets.firstOrNull() ?: return null
                val rows = WherePins.of(statement.where)
                TableChange(table, ChangeKind.UPDATE, rows.orEmpty(), statement.firstDataSet.mapTo(LinkedHashSet()) { it.first }, rows == null)
            }
            is DeleteStatement -> {
                val table = statement.targetTables.firstOrNull() ?: statement.targets.firstOrNull() ?: return null
                val rows = WherePins.of(statement.where)
                TableChange(table, ChangeKind.DELETE, rows.orEmpty(), emptySet(), rows == null)
            }
            is InsertStatement<*> -> insert(statement)
            else -> when (statement.type) {
                StatementType.INSERT, StatementType.UPDATE, StatementType.DELETE, StatementType.MERGE -> {
                    val table = statement.targets.firstOrNull() ?: return null
                    TableChange(table, ChangeKind.UPSERT, emptyList(), table.columns.toSet(), true)
                }
                else -> return null
            }
        }
        return change
    }

    private fun insert(statement: InsertStatement<*>): TableChange {
        val table = statement.table
        val upsert = statement is UpsertStatement<*> || statement is BatchUpsertStatement ||
            statement is ReplaceStatement<*> || statement is BatchReplaceStatement
        // One argument list per row, for single and batch inserts alike.
        val given: List<Map<Column<*>, Any?>> = statement.arguments.orEmpty().map { args -> plainRow(args.toMap()) }
        val generated: List<ResultRow> = statement.resultedValues.orEmpty()
        val rows = if (generated.size == given.size) {
            given.mapIndexed { i, row -> valuesOf(table, generated[i]) + row } // what was given wins over what came back
        } else {
            given
        }
        val changed = given.flatMapTo(LinkedHashSet()) { it.keys }
        return TableChange(table, if (upsert) ChangeKind.UPSERT else ChangeKind.INSERT, rows, changed, rows.isEmpty())
    }

    private fun plainRow(values: Map<Column<*>, Any?>): Map<Column<*>, Any?> {
        val out = LinkedHashMap<Column<*>, Any?>(values.size)
        for ((column, value) in values) {
            if (value is Expression<*>) continue // a default or function: the value is not known here
            out[column] = WherePins.plain(value)
        }
        return out
    }

    private fun valuesOf(table: Table, row: ResultRow): Map<Column<*>, Any?> {
        val out = LinkedHashMap<Column<*>, Any?>()
        for (c in table.columns) if (row.hasValue(c)) out[c] = WherePins.plain(row[c])
        return out
    }

    private companion object {
        /** How many transactions have buffered changes. */
        val pending = AtomicInteger()

        val buffers: MutableMap<Transaction, MutableList<Recorded>> = Collections.synchronizedMap(IdentityHashMap())

        fun outermost(transaction: Transaction): Transaction {
            var t = transaction
            while (true) t = (t as? JdbcTransaction)?.outerTransaction ?: return t
        }

        /** Whether [tx] is [ancestor] or nested inside it. */
        fun within(tx: Transaction, ancestor: Transaction): Boolean {
            var t: Transaction? = tx
            while (t != null) {
                if (t === ancestor) return true
                t = (t as? JdbcTransaction)?.outerTransaction
            }
            return false
        }
    }
}
