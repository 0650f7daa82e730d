package dev.restflow.ktor.view

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.serializer.WriteMode
import dev.restflow.ktor.serializer.serializer
import io.ktor.client.request.delete
import io.ktor.client.request.get
import io.ktor.client.request.patch
import io.ktor.client.request.post
import io.ktor.client.request.put
import io.ktor.client.request.setBody
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.contentType
import io.ktor.server.application.install
import io.ktor.server.routing.post
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import kotlinx.serialization.Serializable
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.insertAndGetId
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/** Generic views and the call helpers over real HTTP, run on H2 and on PostgreSQL. */
abstract class GenericViewsContract {
    protected abstract val db: Database
    private val access get() = DatabaseAccess(db)

    @BeforeTest
    fun seed() {
        transaction(db) {
            SchemaUtils.drop(Books, Shelves)
            SchemaUtils.create(Shelves)
            Shelves.insert { row -> row[name] = "fiction" }
        }
    }

    @Serializable
    data class Greeting(val name: String, val times: Int = 1)

    @Test
    fun `generic views serve only their actions on their own paths`() = testApplication {
        application {
            install(Restflow)
            routing {
                listCreateView("/shelves", Shelves) { database(access) }
                retrieveDestroyView("/shelves/{id}", Shelves) { database(access) }
            }
        }
        assertEquals("""{"count":1,"next":null,"previous":null,"results":[{"id":1,"name":"fiction"}]}""", client.get("/shelves").bodyAsText())
        val created = client.post("/shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"poetry"}""") }
        assertEquals(HttpStatusCode.Created, created.status)
        assertEquals("http://localhost/shelves/2", created.headers[HttpHeaders.Location])
        assertEquals("""{"id":2,"name":"poetry"}""", client.get("/shelves/2").bodyAsText())
        val patch = client.patch("/shelves/2") { contentType(ContentType.Application.Json); setBody("{}") }
        assertEquals(HttpStatusCode.MethodNotAllowed, patch.status)
        assertEquals("GET, HEAD, DELETE, OPTIONS", patch.headers[HttpHeaders.Allow])
        assertEquals(HttpStatusCode.NoContent, client.delete("/shelves/2").status)
    }

    @Test
    fun `detail views update and delete by id, and a duplicate or unknown id is answered in the envelope`() = testApplication {
        application {
            install(Restflow)
            routing {
                createView("/shelves", Shelves) { database(access) }
                retrieveUpdateDestroyView("/shelves/{id}", Shelves) { database(access) }
                updateView("/only-update/{id}", Shelves) { database(access) }
            }
        }
        assertEquals(HttpStatusCode.MethodNotAllowed, client.get("/shelves").status)
        val created = client.post("/shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"poetry"}""") }
        assertEquals("""{"id":2,"name":"poetry"}""", created.bodyAsText())
        val duplicate = client.post("/shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"poetry"}""") }
        assertEquals(HttpStatusCode.Conflict, duplicate.status)
        val put = client.put("/shelves/2") { contentType(ContentType.Application.Json); setBody("""{"name":"verse"}""") }
        assertEquals("""{"id":2,"name":"verse"}""", put.bodyAsText())
        val clash = client.patch("/only-update/2") { contentType(ContentType.Application.Json); setBody("""{"name":"fiction"}""") }
        assertEquals(HttpStatusCode.Conflict, clash.status)
        val patch = client.patch("/only-update/2") { contentType(ContentType.Application.Json); setBody("""{"name":"songs"}""") }
        assertEquals("""{"id":2,"name":"songs"}""", patch.bodyAsText())
        assertEquals(HttpStatusCode.MethodNotAllowed, client.get("/only-update/2").status)
        assertEquals(HttpStatusCode.NotFound, client.get("/shelves/99999999999").status)
        assertEquals(HttpStatusCode.NotFound, client.put("/shelves/x") { contentType(ContentType.Application.Json); setBody("""{"name":"a"}""") }.status)
        assertEquals(HttpStatusCode.NoContent, client.delete("/shelves/2").status)
        assertEquals(HttpStatusCode.NotFound, client.delete("/shelves/2").status)
        assertEquals(listOf("fiction"), transaction(db) { Shelves.selectAll().map { it[Shelves.name] } })
    }

    @Test
    fun `a detail view without the lookup parameter in its path is a declaration error`() {
        assertFailsWith<IllegalArgumentException> {
            testApplication {
                application { routing { retrieveView("/shelves", Shelves) } }
                client.get("/shelves")
            }
        }
    }

    @Test
    fun `hand-written routes get the same validation and rendering through the call helpers`() = testApplication {
        val shelves = serializer(Shelves)
        application {
            install(Restflow)
            routing {
                post("/greet") {
                    val greeting = call.receiveValidated<Greeting>()
                    call.respondSerialized(kotlinx.serialization.json.JsonPrimitive("hello ${greeting.name} x${greeting.times}"))
                }
                post("/raw-shelves") {
                    val data = call.receiveValidated(shelves, WriteMode.CREATE, database = access)
                    val row = access.transaction {
                        val id = Shelves.insertAndGetId { data.applyTo(it) }
                        Shelves.selectAll().where { Shelves.id eq id }.single()
                    }
                    call.respondSerialized(row, shelves, HttpStatusCode.Created)
                }
            }
        }
        val ok = client.post("/greet") { contentType(ContentType.Application.Json); setBody("""{"name":"Ada"}""") }
        assertEquals("\"hello Ada x1\"", ok.bodyAsText())
        val bad = client.post("/greet") { contentType(ContentType.Application.Json); setBody("""{"times":"x","who":1}""") }
        assertEquals(HttpStatusCode.BadRequest, bad.status)
        assertEquals(
            """{"error":{"code":"validation_error","message":"Request validation failed.","details":{"who":["Unknown field."],"name":["This field is required."],"times":["A valid integer is required."]}}}""",
            bad.bodyAsText(),
        )
        val created = client.post("/raw-shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"maps"}""") }
        assertEquals(HttpStatusCode.Created, created.status)
        assertEquals("""{"id":2,"name":"maps"}""", created.bodyAsText())
        val duplicate = client.post("/raw-shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"maps"}""") }
        assertEquals(HttpStatusCode.Conflict, duplicate.status)
    }
}

class H2GenericViewsTest : GenericViewsContract() {
    override val db: Database = Database.connect("jdbc:h2:mem:generic-${java.util.UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
}

class PostgresGenericViewsTest : GenericViewsContract() {
    override val db: Database = shared

    private companion object {
        val shared: Database by lazy {
            val pg = dev.restflow.testing.TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
