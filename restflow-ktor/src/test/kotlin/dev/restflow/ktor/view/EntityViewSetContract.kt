package dev.restflow.ktor.view

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.error.ApiException
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
import io.ktor.server.routing.Route
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.dao.EntityChange
import org.jetbrains.exposed.v1.dao.EntityHook
import org.jetbrains.exposed.v1.dao.IntEntity
import org.jetbrains.exposed.v1.dao.IntEntityClass
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.Collections
import kotlin.test.AfterTest
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals

class Shelf(id: EntityID<Int>) : IntEntity(id) {
    companion object : IntEntityClass<Shelf>(Shelves)

    var name by Shelves.name
}

/** A viewset over a DAO entity class: table reads, entity writes (EntityHook sees them), hooks get the entity; H2 and PostgreSQL. */
abstract class EntityViewSetContract {
    protected abstract val db: Database
    private val access get() = DatabaseAccess(db)
    private val changes: MutableList<String> = Collections.synchronizedList(mutableListOf())
    private val subscription: (EntityChange) -> Unit = { changes += "${it.changeType.name.uppercase()}:${it.entityId}" }

    @BeforeTest
    fun seed() {
        transaction(db) {
            SchemaUtils.drop(Gadgets, Books, Shelves)
            SchemaUtils.create(Shelves)
            Shelves.insert { it[name] = "fiction" }
        }
        EntityHook.subscribe(subscription)
    }

    @AfterTest
    fun unsubscribe() {
        EntityHook.unsubscribe(subscription)
    }

    private fun app(block: Route.() -> Unit, test: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        application {
            install(Restflow)
            routing { block() }
        }
        test()
    }

    private fun names() = transaction(db) { Shelves.selectAll().orderBy(Shelves.id).map { it[Shelves.name] } }

    @Test
    fun `CRUD through the entity class writes through the DAO so entity hooks see every change`() = app({
        viewSet("/shelves", Shelf) {
            database(access)
            serializer(serializer(Shelves) { validate(Shelves.name) { length(2..50) } })
        }
    }) {
        assertEquals("""{"count":1,"next":null,"previous":null,"results":[{"id":1,"name":"fiction"}]}""", client.get("/shelves").bodyAsText())
        val created = client.post("/shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"poetry"}""") }
        assertEquals(HttpStatusCode.Created, created.status)
        assertEquals("""{"id":2,"name":"poetry"}""", created.bodyAsText())
        assertEquals("http://localhost/shelves/2", created.headers[HttpHeaders.Location])
        val put = client.put("/shelves/2") { contentType(ContentType.Application.Json); setBody("""{"name":"verse"}""") }
        assertEquals("""{"id":2,"name":"verse"}""", put.bodyAsText())
        val patch = client.patch("/shelves/1") { contentType(ContentType.Application.Json); setBody("""{"name":"novels"}""") }
        assertEquals("""{"id":1,"name":"novels"}""", patch.bodyAsText())
        val invalid = client.post("/shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"x"}""") }
        assertEquals(HttpStatusCode.BadRequest, invalid.status)
        val duplicate = client.post("/shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"novels"}""") }
        assertEquals(HttpStatusCode.Conflict, duplicate.status)
        assertEquals(HttpStatusCode.NoContent, client.delete("/shelves/2").status)
        assertEquals(HttpStatusCode.NotFound, client.get("/shelves/2").status)
        assertEquals(listOf("novels"), names())
        assertEquals(listOf("CREATED:2", "UPDATED:2", "UPDATED:1", "REMOVED:2"), changes.toList())
    }

    @Test
    fun `write hooks receive the entity and a failing hook rolls the DAO write back`() = app({
        viewSet("/shelves", Shelf) {
            database(access)
            afterCreate { ctx ->
                val shelf = ctx.entity as Shelf
                if (shelf.name == "forbidden") throw ApiException.conflict("No.")
                shelf.name = shelf.name.uppercase()
            }
            beforeUpdate { ctx -> assertEquals("fiction", (ctx.entity as Shelf).name) }
            beforeDestroy { ctx -> if ((ctx.entity as Shelf).name == "fiction") throw ApiException.conflict("Keep fiction.") }
        }
    }) {
        val created = client.post("/shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"maps"}""") }
        assertEquals(HttpStatusCode.Created, created.status)
        assertEquals(listOf("fiction", "MAPS"), names())
        val refused = client.post("/shelves") { contentType(ContentType.Application.Json); setBody("""{"name":"forbidden"}""") }
        assertEquals(HttpStatusCode.Conflict, refused.status)
        assertEquals(listOf("fiction", "MAPS"), names())
        assertEquals(HttpStatusCode.Conflict, client.delete("/shelves/1").status)
        assertEquals(HttpStatusCode.OK, client.patch("/shelves/1") { contentType(ContentType.Application.Json); setBody("""{"name":"tales"}""") }.status)
        assertEquals(listOf("tales", "MAPS"), names())
        assertEquals(1, transaction(db) { Shelves.selectAll().where { Shelves.name eq "tales" }.count() }.toInt())
    }
}

class H2EntityViewSetTest : EntityViewSetContract() {
    override val db: Database = Database.connect("jdbc:h2:mem:entity-views-${java.util.UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
}

class PostgresEntityViewSetTest : EntityViewSetContract() {
    override val db: Database = shared

    private companion object {
        val shared: Database by lazy {
            val pg = dev.restflow.testing.TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
