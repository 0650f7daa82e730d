package dev.restflow.ktor.test

import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.junit.jupiter.api.extension.RegisterExtension
import kotlin.test.Test
import kotlin.test.assertEquals

class ExposedRollbackTest {
// region rollback
    companion object {
        private val db = TestKitFixture.newDatabase()

        @JvmField
        @RegisterExtension
        val rollback = ExposedRollback(db)
    }

    // Each test inserts one note and sees one: whichever runs second would see two if the first had committed.
    @Test
    fun `writes of one test are rolled back before the next`() {
        transaction(db) { Notes.insert { it[text] = "first" } }
        assertEquals(1, transaction(db) { Notes.selectAll().count() })
    }
// endregion

    @Test
    fun `writes of another test are rolled back too`() {
        transaction(db) { Notes.insert { it[text] = "second" } }
        assertEquals(1, transaction(db) { Notes.selectAll().count() })
    }
}
