package dev.restflow.ktor.view

import dev.restflow.exposed.filter.filterSet
import dev.restflow.exposed.filter.postgres
import dev.restflow.ktor.Restflow
import dev.restflow.testing.TestServices
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

private object Notes : IntIdTable("verify_notes") {
    val body = varchar("body", 200)
}

/** A viewset checks its filter set against its database when routes are built (issue 3, point 9). */
class ViewSetFilterVerifyTest {
    private val searchable = filterSet(Notes) { field(Notes.body) { postgres() } }

    private fun serve(db: Database) = testApplication {
        application {
            install(Restflow)
            routing {
                viewSet("/notes", Notes) {
                    database(DatabaseAccess(db))
                    filters(searchable)
                }
            }
        }
        val response = client.get("/notes?body__search=lamps")
        assertEquals(HttpStatusCode.OK, response.status, response.bodyAsText())
        assertTrue("\"Lamps shining\"" in response.bodyAsText(), response.bodyAsText())
    }

    @Test
    fun `PostgreSQL-only lookups on an H2 viewset fail when routes are built`() {
        val h2 = Database.connect("jdbc:h2:mem:verify-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
        val e = assertFailsWith<IllegalStateException> { serve(h2) }
        assertTrue("PostgreSQL-only lookups" in e.message!!, e.message)
    }

    @Test
    fun `the same viewset serves the lookups on PostgreSQL`() {
        val pg = TestServices.newPostgresDatabase()
        val db = Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        transaction(db) {
            SchemaUtils.create(Notes)
            Notes.insert { it[body] = "Lamps shining" }
            Notes.insert { it[body] = "Oak desk" }
        }
        serve(db)
    }
}
