package dev.restflow.exposed.outbox

import org.jetbrains.exposed.v1.core.dao.id.LongIdTable

/**
 * The `restflow_outbox` table. Times are epoch milliseconds (`BIGINT`), so the table needs no date-time module and
 * compares the same on every database. A row is pending while `done_at` and `dead_at` are both null; a relay
 * claims it by moving `available_at` forward by its claim timeout (a lease) and counting the attempt.
 */
internal object OutboxTable : LongIdTable("restflow_outbox") {
    val payload = text("payload")
    val createdAt = long("created_at")
    val attempts = integer("attempts").default(0)
    val lastError = text("last_error").nullable()
    val availableAt = long("available_at").index("restflow_outbox_available_idx")
    val doneAt = long("done_at").nullable()
    val deadAt = long("dead_at").nullable()
}
