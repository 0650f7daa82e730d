package dev.restflow.exposed.change

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table

/**
 * One committed write to [table], as change capture saw the statement.
 *
 * [rows] says which rows were touched as far as the statement shows it: for an insert, each row's values; for an
 * update or delete, the values its `where` pins with equality (`id = 5`, `id IN (1, 2)`, joined by `AND`/`OR`).
 * When the statement does not pin its rows (a range, a subquery, no `where`), [rows] is empty and [wholeTable] is
 * `true`: consumers must then treat every row of the table as changed. Immutable.
 */
public class TableChange internal constructor(
    /** The table written. */
    public val table: Table,
    /** The kind of write. */
    public val kind: ChangeKind,
    /** Known column values of each touched row (a row may hold only the pinned columns). */
    public val rows: List<Map<Column<*>, Any?>>,
    /** The columns the write set (inserts and upserts: every column given; deletes: empty). */
    public val changedColumns: Set<Column<*>>,
    /** Whether the touched rows are unknown, so the whole table must be considered changed. */
    public val wholeTable: Boolean,
) {
    override fun toString(): String =
        "TableChange(${table.tableName} $kind, ${if (wholeTable) "whole table" else "${rows.size} row(s)"}, " +
            "changed=${changedColumns.map { it.name }})"
}
