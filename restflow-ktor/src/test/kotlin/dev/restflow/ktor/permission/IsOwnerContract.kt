package dev.restflow.ktor.permission

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.MapUserStore
import dev.restflow.ktor.auth.TestUser
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.jwt.TestKeys
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.auth.restflowJwt
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.restflow
import dev.restflow.testing.TestServices
import io.ktor.client.request.bearerAuth
import io.ktor.client.request.delete
import io.ktor.client.request.get
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.Route
import io.ktor.server.routing.delete
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.dao.IntEntity
import org.jetbrains.exposed.v1.dao.IntEntityClass
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.insertAndGetId
import org.jetbrains.exposed.v1.jdbc.select
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull

object OwnerAccounts : IntIdTable("perm_accounts") {
    val name = varchar("name", 50)
}

/** Notes with two owner columns: a DAO reference (an `EntityID`) and a plain integer. */
object OwnedNotes : IntIdTable("perm_notes") {
    val owner = reference("owner_id", OwnerAccounts)
    val authorId = integer("author_id")
    val text = varchar("text", 100)
}

class OwnedNote(id: EntityID<Int>) : IntEntity(id) {
    companion object : IntEntityClass<OwnedNote>(OwnedNotes)

    var owner by OwnedNotes.owner
    var text by OwnedNotes.text
}

/**
 * `IsOwner` through real routes on a DAO entity and on a `ResultRow`: the owner passes, another user gets 403 and the
 * row is left alone, an anonymous caller gets 401 with the challenge, staff pass through `or IsAdminUser` (DRF 3.15).
 */
abstract class IsOwnerContract {
    abstract fun connect(): Database

    private val database: Database by lazy {
        connect().also { db ->
            transaction(db) {
                SchemaUtils.create(OwnerAccounts, OwnedNotes)
                val alice = OwnerAccounts.insertAndGetId { it[name] = "alice" }
                OwnerAccounts.insertAndGetId { it[name] = "bob" }
                OwnerAccounts.insertAndGetId { it[name] = "ann" }
                OwnedNotes.insert { it[owner] = alice; it[authorId] = alice.value; it[text] = "alice's note" }
            }
        }
    }

    /** Users 1, 2, 3 are the accounts of the same ids; ann is staff. */
    private val store = MapUserStore(TestUser("1", "alice"), TestUser("2", "bob"), TestUser("3", "ann", isStaff = true))
    private lateinit var tokens: JwtTokens
    private val noteId: Int get() = transaction(database) { OwnedNotes.selectAll().first()[OwnedNotes.id].value }

    private fun Route.entityRoute(path: String, permission: Permission) = route(path) {
        permissions(permission)
        get { call.respondText(call.noteEntity(permission).text) }
        delete {
            val note = call.noteEntity(permission)
            transaction(database) { note.delete() }
            call.respondText("deleted")
        }
    }

    private suspend fun ApplicationCall.noteEntity(permission: Permission): OwnedNote {
        val id = parameters["id"]!!.toInt()
        val note = transaction(database) { OwnedNote.findById(id)!! }
        checkObjectPermissions(listOf(permission), note)
        return note
    }

    private fun app(block: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        environment { config = MapApplicationConfig("restflow.jwt.signing-key" to TestKeys.SECRET) }
        application {
            install(Restflow)
            tokens = restflow.jwt!!
            install(Authentication) { restflowJwt { userStore = store } }
            routing {
                authenticate(optional = true) {
                    entityRoute("/entities/{id}", IsOwner(OwnedNotes.owner))
                    // region is-owner
                    val ownerOrStaff = IsOwner(OwnedNotes.owner) or IsAdminUser
                    route("/owner-or-staff/{id}") {
                        permissions(ownerOrStaff)
                        get {
                            val id = call.parameters["id"]?.toIntOrNull() ?: throw ApiException.notFound()
                            val note = transaction(database) { OwnedNote.findById(id) } ?: throw ApiException.notFound()
                            call.checkObjectPermissions(listOf(ownerOrStaff), note)
                            call.respondText(note.text)
                        }
                    }
                    // endregion
                    route("/rows/{id}") {
                        val permission = IsOwner(OwnedNotes.authorId)
                        permissions(permission)
                        get {
                            val id = call.parameters["id"]!!.toInt()
                            val row = transaction(database) { OwnedNotes.selectAll().where { OwnedNotes.id eq id }.single() }
                            call.checkObjectPermissions(listOf(permission), row)
                            call.respondText(row[OwnedNotes.text])
                        }
                    }
                    route("/partial-rows/{id}") {
                        val permission = IsOwner(OwnedNotes.owner)
                        get {
                            val id = call.parameters["id"]!!.toInt()
                            val row = transaction(database) {
                                OwnedNotes.select(OwnedNotes.id, OwnedNotes.text).where { OwnedNotes.id eq id }.single()
                            }
                            call.checkObjectPermissions(listOf(permission), row)
                            call.respondText(row[OwnedNotes.text])
                        }
                    }
                }
            }
        }
        startApplication()
        block()
    }

    private fun bearer(userId: String): String = tokens.issue(TokenType.ACCESS, userId).token

    private suspend fun ApplicationTestBuilder.get(path: String, userId: String? = null): HttpResponse =
        client.get(path) { if (userId != null) bearerAuth(bearer(userId)) }

    private suspend fun HttpResponse.code(): String = Regex("\"code\":\"([a-z_]+)\"").find(bodyAsText())?.groupValues?.get(1) ?: ""

    private fun noteExists(id: Int): Boolean = transaction(database) { OwnedNote.findById(id) != null }

    @Test
    fun `on a DAO entity the owner passes and another user gets 403 permission_denied`() = app {
        val id = noteId
        assertEquals("alice's note", get("/entities/$id", "1").bodyAsText())
        val denied = get("/entities/$id", "2")
        assertEquals(403, denied.status.value)
        assertEquals("permission_denied", denied.code())
        assertNull(denied.headers[HttpHeaders.WWWAuthenticate])
        assertEquals(403, get("/entities/$id", "3").status.value, "staff are not owners")
    }

    @Test
    fun `an anonymous caller gets 401 with the challenge before any object is loaded`() = app {
        val response = get("/entities/$noteId")
        assertEquals(401, response.status.value)
        assertEquals("not_authenticated", response.code())
        assertEquals("Bearer realm=\"restflow\"", response.headers[HttpHeaders.WWWAuthenticate])
    }

    @Test
    fun `another user's delete is refused and the row stays`() = app {
        val id = noteId
        assertEquals(403, client.delete("/entities/$id") { bearerAuth(bearer("2")) }.status.value)
        assertEquals(true, noteExists(id))
    }

    @Test
    fun `owner or staff lets staff act on others' objects, as DRF 3_15's or`() = app {
        val id = noteId
        assertEquals(200, get("/owner-or-staff/$id", "1").status.value)
        assertEquals(200, get("/owner-or-staff/$id", "3").status.value)
        assertEquals(403, get("/owner-or-staff/$id", "2").status.value)
        assertEquals(401, get("/owner-or-staff/$id").status.value)
    }

    @Test
    fun `on a ResultRow a plain id column is compared with the user id`() = app {
        val id = noteId
        assertEquals("alice's note", get("/rows/$id", "1").bodyAsText())
        assertEquals(403, get("/rows/$id", "2").status.value)
        assertEquals(401, get("/rows/$id").status.value)
    }

    @Test
    fun `a row selected without the owner column denies rather than guessing`() = app {
        assertEquals(403, get("/partial-rows/$noteId", "1").status.value)
    }
}

class H2IsOwnerTest : IsOwnerContract() {
    override fun connect(): Database = Database.connect("jdbc:h2:mem:owner-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", driver = "org.h2.Driver")
}

class PostgresIsOwnerTest : IsOwnerContract() {
    override fun connect(): Database {
        val pg = TestServices.newPostgresDatabase()
        return Database.connect(pg.jdbcUrl, user = pg.user, password = pg.password)
    }
}
