package dev.restflow.ktor.auth.blacklist

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runInterruptible
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.greater
import org.jetbrains.exposed.v1.core.inList
import org.jetbrains.exposed.v1.core.lessEq
import org.jetbrains.exposed.v1.core.and
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.deleteWhere
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.select
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.sql.SQLException
import java.time.Clock
import java.time.Instant

/**
 * A [TokenBlacklist] in the application's database, table `restflow_blacklisted_tokens` (unique `jti`, indexed
 * `expires_at`). Create the table once with [createTable] (or your migrations: see [BlacklistedTokens]) and call
 * [deleteExpired] periodically; rows are ignored once expired even before that.
 *
 * Every call runs a short JDBC transaction on `Dispatchers.IO`, interruptible on cancellation. [add] relies on the
 * unique index, so it is atomic across instances.
 */
public class DatabaseTokenBlacklist @JvmOverloads constructor(
    private val database: Database,
    private val clock: Clock = Clock.systemUTC(),
) : TokenBlacklist {
    override suspend fun add(id: String, expiresAt: Instant): Boolean = io {
        try {
            transaction(database) {
                BlacklistedTokens.insert {
                    it[jti] = id
                    it[BlacklistedTokens.expiresAt] = expiresAt.epochSecond
                }
            }
            true
        } catch (e: SQLException) {
            if (isListed(id)) false else throw e
        } catch (e: RuntimeException) {
            // Exposed wraps the unique violation in its own exception type.
            if (isListed(id)) false else throw e
        }
    }

    override suspend fun containsAny(ids: Collection<String>): Boolean = io {
        if (ids.isEmpty()) return@io false
        val now = clock.instant().epochSecond
        transaction(database) {
            BlacklistedTokens.select(BlacklistedTokens.jti)
                .where { (BlacklistedTokens.jti inList ids) and (BlacklistedTokens.expiresAt greater now) }
                .limit(1).any()
        }
    }

    /** One query for the ids and the user's "revoked before" together. */
    override suspend fun isRevoked(ids: Collection<String>, userId: String, issuedAt: Instant?): Boolean = io {
        val now = clock.instant().epochSecond
        val user = "user:$userId"
        transaction(database) {
            val rows = BlacklistedTokens.select(BlacklistedTokens.jti, BlacklistedTokens.notBefore)
                .where { (BlacklistedTokens.jti inList (ids + user)) and (BlacklistedTokens.expiresAt greater now) }
                .toList()
            rows.any { it[BlacklistedTokens.jti] != user } || TokenBlacklist.revokedBy(
                rows.firstOrNull { it[BlacklistedTokens.jti] == user }?.get(BlacklistedTokens.notBefore)?.let(Instant::ofEpochSecond),
                issuedAt,
            )
        }
    }

    override suspend fun revokeUserTokens(userId: String, revokedBefore: Instant, expiresAt: Instant): Unit = io {
        val id = "user:$userId"
        transaction(database) {
            BlacklistedTokens.deleteWhere { jti eq id }
            BlacklistedTokens.insert {
                it[jti] = id
                it[BlacklistedTokens.expiresAt] = expiresAt.epochSecond
                it[notBefore] = revokedBefore.epochSecond
            }
        }
    }

    override suspend fun userTokensRevokedBefore(userId: String): Instant? = io {
        val now = clock.instant().epochSecond
        transaction(database) {
            BlacklistedTokens.selectAll()
                .where { (BlacklistedTokens.jti eq "user:$userId") and (BlacklistedTokens.expiresAt greater now) }
                .firstOrNull()?.get(BlacklistedTokens.notBefore)?.let(Instant::ofEpochSecond)
        }
    }

    /** Deletes every expired row and returns how many; blocking, call it from a scheduled job. */
    public fun deleteExpired(): Int {
        val now = clock.instant().epochSecond
        return transaction(database) { BlacklistedTokens.deleteWhere { expiresAt lessEq now } }
    }

    /** Creates `restflow_blacklisted_tokens` and its indexes when missing; blocking, call it once at start-up. */
    public fun createTable() {
        transaction(database) { SchemaUtils.create(BlacklistedTokens) }
    }

    private fun isListed(id: String): Boolean = transaction(database) {
        BlacklistedTokens.select(BlacklistedTokens.jti).where { BlacklistedTokens.jti eq id }.any()
    }

    private suspend fun <T> io(block: () -> T): T = runInterruptible(Dispatchers.IO) { block() }
}
