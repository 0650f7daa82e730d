package dev.restflow.ktor.test

import org.jetbrains.exposed.v1.jdbc.Database
import java.util.Collections
import java.util.concurrent.CopyOnWriteArrayList

/**
 * The SQL statements Exposed ran while a capture was open — Django's `assertNumQueries`:
 * `captureQueries(db) { client.get("/api/products") }.assertCount(2)`.
 *
 * Every statement on [database] (every database when `null`) is recorded, on whichever thread it runs, so queries of
 * calls served by a test application count. Statements are recorded after they ran (a failing statement is not),
 * one per execution (a batch insert is one), with `?` placeholders. Tests that capture on a database other tests use
 * at the same time also see those tests' statements: give each test class its own database.
 *
 * Thread-safe. Open one with [start] (Java: try-with-resources) or [captureQueries]; [close] stops recording.
 */
public class CapturedQueries private constructor(private val database: Database?) : AutoCloseable {
    private val recorded = Collections.synchronizedList(ArrayList<String>())

    /** The statements recorded so far, in execution order. */
    public val statements: List<String> get() = synchronized(recorded) { recorded.toList() }

    /** How many statements were recorded. */
    public val count: Int get() = recorded.size

    /**
     * Asserts that exactly [expected] statements ran and returns this capture.
     *
     * @throws AssertionError otherwise, listing the statements.
     */
    public fun assertCount(expected: Int): CapturedQueries = apply {
        val seen = statements
        if (seen.size != expected) {
            throw AssertionError("Expected $expected SQL statement(s), ${seen.size} ran:\n" + seen.withIndex().joinToString("\n") { (i, s) -> "${i + 1}. $s" })
        }
    }

    /** Stops recording; [statements] keeps what was recorded. */
    override fun close() {
        active.remove(this)
    }

    internal fun offer(db: Database?, sql: String) {
        if (database == null || database === db) recorded += sql
    }

    override fun toString(): String = "CapturedQueries($count statement(s))"

    public companion object {
        internal val active = CopyOnWriteArrayList<CapturedQueries>()

        /** Starts recording the statements run on [database] (every database when `null`); close it to stop. */
        @JvmStatic
        @JvmOverloads
        public fun start(database: Database? = null): CapturedQueries = CapturedQueries(database).also { active += it }

        /** Java: records the statements [block] runs on [database]. */
        @JvmStatic
        public fun capture(database: Database?, block: Runnable): CapturedQueries = start(database).use { block.run(); it }
    }
}

/** Records the SQL statements run on [database] (every database when `null`) while [block] runs; see [CapturedQueries]. */
public suspend fun captureQueries(database: Database? = null, block: suspend () -> Unit): CapturedQueries =
    CapturedQueries.start(database).use { block(); it }
