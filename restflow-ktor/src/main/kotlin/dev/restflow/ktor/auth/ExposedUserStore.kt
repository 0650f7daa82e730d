package dev.restflow.ktor.auth

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runInterruptible
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Op
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID

/**
 * A [UserStore] over the application's own users table: you map its columns, Restflow reads them.
 *
 * Lookups run a short read transaction on `Dispatchers.IO` (interruptible on cancellation); an id that does not parse
 * as the id column's type (`"abc"` for an integer id) is an unknown user, never an error. Users are [ExposedUser]s.
 * Thread-safe.
 */
public class ExposedUserStore<ID : Any> private constructor(
    private val database: Database,
    private val table: Table,
    private val idColumn: Column<ID>,
    private val parseId: (String) -> ID?,
    private val usernameColumn: Column<String>,
    private val passwordHashColumn: Column<out String?>,
    private val activeColumn: Column<Boolean>?,
    private val staffColumn: Column<Boolean>?,
    private val emailColumn: Column<out String?>?,
) : UserStore {
    override suspend fun findById(id: String): ExposedUser? {
        val parsed = runCatching { parseId(id) }.getOrNull() ?: return null
        return find { idColumn eq parsed }
    }

    override suspend fun findByUsername(username: String): ExposedUser? = find { usernameColumn eq username }

    private suspend fun find(where: () -> Op<Boolean>): ExposedUser? = runInterruptible(Dispatchers.IO) {
        transaction(database) { table.selectAll().where(where()).limit(1).firstOrNull()?.let(::toUser) }
    }

    private fun toUser(row: ResultRow) = ExposedUser(
        id = row[idColumn].toString(),
        username = row[usernameColumn],
        passwordHash = row[passwordHashColumn],
        isActive = activeColumn?.let { row[it] } ?: true,
        isStaff = staffColumn?.let { row[it] } ?: false,
        email = emailColumn?.let { row[it] },
    )

    /** Maps the columns of a users table; see [ExposedUserStore.builder]. */
    public class Builder<ID : Any> internal constructor(
        private val database: Database,
        private val table: Table,
        private val id: Column<ID>,
        private val parseId: (String) -> ID?,
    ) {
        private var username: Column<String>? = null
        private var passwordHash: Column<out String?>? = null
        private var active: Column<Boolean>? = null
        private var staff: Column<Boolean>? = null
        private var email: Column<out String?>? = null

        /** The log-in name column (required). */
        public fun username(column: Column<String>): Builder<ID> = apply { username = column }

        /** The password hash column (required; `null` values are users who cannot log in with a password). */
        public fun passwordHash(column: Column<out String?>): Builder<ID> = apply { passwordHash = column }

        /** The "active" flag (optional: everyone is active without it). */
        public fun active(column: Column<Boolean>): Builder<ID> = apply { active = column }

        /** The "staff" flag (optional: nobody is staff without it). */
        public fun staff(column: Column<Boolean>): Builder<ID> = apply { staff = column }

        /** The e-mail column (optional). */
        public fun email(column: Column<out String?>): Builder<ID> = apply { email = column }

        /** The store; throws [IllegalStateException] when username or passwordHash is not mapped. */
        public fun build(): ExposedUserStore<ID> = ExposedUserStore(
            database, table, id, parseId,
            checkNotNull(username) { "ExposedUserStore: map the username column" },
            checkNotNull(passwordHash) { "ExposedUserStore: map the passwordHash column" },
            active, staff, email,
        )
    }

    public companion object {
        /** A builder for a table whose id is an `Int` column. */
        @JvmStatic
        public fun intIds(database: Database, table: Table, id: Column<Int>): Builder<Int> =
            Builder(database, table, id) { it.toIntOrNull() }

        /** A builder for a table whose id is a `Long` column. */
        @JvmStatic
        public fun longIds(database: Database, table: Table, id: Column<Long>): Builder<Long> =
            Builder(database, table, id) { it.toLongOrNull() }

        /** A builder for a table whose id is a `String` column. */
        @JvmStatic
        public fun stringIds(database: Database, table: Table, id: Column<String>): Builder<String> =
            Builder(database, table, id) { it }

        /** A builder for a table whose id is a `java.util.UUID` column. */
        @JvmStatic
        public fun uuidIds(database: Database, table: Table, id: Column<UUID>): Builder<UUID> =
            Builder(database, table, id) { runCatching { UUID.fromString(it) }.getOrNull() }

        /** A builder for any id type: [parseId] turns the token's string id into a column value (`null`: unknown). */
        @JvmStatic
        public fun <ID : Any> builder(
            database: Database,
            table: Table,
            id: Column<ID>,
            parseId: java.util.function.Function<String, ID?>,
        ): Builder<ID> = Builder(database, table, id) { parseId.apply(it) }
    }
}
