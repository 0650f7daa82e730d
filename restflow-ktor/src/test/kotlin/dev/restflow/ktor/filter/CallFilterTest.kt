package dev.restflow.ktor.filter

import dev.restflow.exposed.filter.comparison
import dev.restflow.exposed.filter.filterSet
import dev.restflow.ktor.Restflow
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.install
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals

object Gadgets : Table("gadgets") {
    val id = integer("id")
    val price = integer("price")
    override val primaryKey = PrimaryKey(id)
}

class CallFilterTest {
    private val db = Database.connect("jdbc:h2:mem:gadgets-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also {
        transaction(it) {
            SchemaUtils.create(Gadgets)
            listOf(1 to 5, 2 to 15, 3 to 25).forEach { (i, p) -> Gadgets.insert { row -> row[id] = i; row[price] = p } }
        }
    }
    // region filter-set
    private val gadgets = filterSet(Gadgets) {
        field(Gadgets.price) { comparison() }
        ordering { key("price", Gadgets.price) }
    }
    // endregion

    @Test
    fun `query parameters filter and order the query, bad ones answer a keyed validation error`() = testApplication {
        application {
            install(Restflow)
            routing {
                // region call-filter
                get("/gadgets") {
                    val ids = transaction(db) { call.filter(Gadgets.selectAll(), gadgets).map { it[Gadgets.id] } }
                    call.respondText(ids.joinToString(","))
                }
                // endregion
            }
        }
        assertEquals("3,2", client.get("/gadgets?price__gte=10&order_by=-price").bodyAsText())
        val bad = client.get("/gadgets?price__gte=cheap&order_by=bogus")
        assertEquals(HttpStatusCode.BadRequest, bad.status)
        val body = bad.bodyAsText()
        assertEquals(true, body.startsWith("""{"error":{"code":"validation_error","message":"Request validation failed.","details":{"""), body)
        assertEquals(true, body.contains(""""order_by":["\"bogus\" is not a valid choice."]"""), body)
        assertEquals(true, body.contains(""""price__gte":["""), body)
    }
}
