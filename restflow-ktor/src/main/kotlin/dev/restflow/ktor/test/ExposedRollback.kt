package dev.restflow.ktor.test

import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.junit.jupiter.api.extension.ExtensionContext
import org.junit.jupiter.api.extension.InvocationInterceptor
import org.junit.jupiter.api.extension.ReflectiveInvocationContext
import java.lang.reflect.Method
import java.util.function.Supplier

/**
 * A JUnit 5 extension that runs each test method inside one Exposed transaction on the database [database] supplies
 * and rolls it back afterwards, so tests leave no rows behind (Django's `TestCase`):
 * `@RegisterExtension val rollback = ExposedRollback { db }`.
 *
 * Exposed binds transactions to the thread: `transaction(db) { … }` blocks the test method runs on its own thread
 * join the outer transaction (with `useNestedTransactions`, as savepoints), so their writes are undone. Work on other
 * threads — calls served by a test application, `suspendTransaction` on `Dispatchers.IO` — runs in transactions of its
 * own and commits; give such tests a database of their own ([RestflowServicesExtension]) instead. Nothing is
 * committed, so after-commit listeners (change feed, invalidation) never run for the rolled-back writes.
 */
public class ExposedRollback(private val database: Supplier<Database>) : InvocationInterceptor {
    /** Rolls back every test on [database]. */
    public constructor(database: Database) : this(Supplier { database })

    override fun interceptTestMethod(
        invocation: InvocationInterceptor.Invocation<Void>,
        invocationContext: ReflectiveInvocationContext<Method>,
        extensionContext: ExtensionContext,
    ) {
        transaction(database.get()) {
            maxAttempts = 1 // the test method must run once, even if it fails with an SQLException
            try {
                invocation.proceed()
            } finally {
                rollback()
            }
        }
    }
}
