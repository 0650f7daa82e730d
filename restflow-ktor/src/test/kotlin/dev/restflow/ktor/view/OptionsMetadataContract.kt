package dev.restflow.ktor.view

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.permission.IsAuthenticatedOrReadOnly
import dev.restflow.ktor.serializer.JavaInstantColumnType
import dev.restflow.ktor.serializer.requestSerializer
import dev.restflow.ktor.serializer.serializer
import io.ktor.client.request.bearerAuth
import io.ktor.client.request.options
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.UserIdPrincipal
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.bearer
import io.ktor.server.routing.Route
import io.ktor.server.routing.routing
import io.ktor.server.testing.ApplicationTestBuilder
import io.ktor.server.testing.testApplication
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.insertAndGetId
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.math.BigDecimal
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull

enum class GadgetKind { TOOL, TOY }

object Gadgets : IntIdTable("gadgets") {
    val name = varchar("name", 40)
    val price = decimal("price", 8, 2)
    val stock = integer("stock").default(0)
    val active = bool("active")
    val releasedAt = registerColumn("released_at", JavaInstantColumnType()).nullable()
    val kind = enumerationByName("kind", 10, GadgetKind::class)
    val shelf = reference("shelf_id", Shelves)
    val secret = varchar("secret", 20).nullable()
    val grade = varchar("grade", 1)
}

/** `OPTIONS` answers DRF's SimpleMetadata (name, description, media types, permitted actions' fields), on H2 and PostgreSQL. */
abstract class OptionsMetadataContract {
    protected abstract val db: Database
    private val access get() = DatabaseAccess(db)
    private var gadget = 0

    @BeforeTest
    fun seed() {
        transaction(db) {
            SchemaUtils.drop(Gadgets, Books, Shelves)
            SchemaUtils.create(Shelves, Gadgets)
            val shelf = Shelves.insertAndGetId { it[name] = "tools" }
            gadget = Gadgets.insertAndGetId {
                it[name] = "hammer"; it[price] = BigDecimal("9.50"); it[active] = true; it[kind] = GadgetKind.TOOL
                it[Gadgets.shelf] = shelf; it[grade] = "A"
            }.value
            Gadgets.insert {
                it[name] = "kite"; it[price] = BigDecimal("3.00"); it[active] = false; it[kind] = GadgetKind.TOY
                it[Gadgets.shelf] = shelf; it[grade] = "B"
            }
        }
    }

    private val gadgets = serializer(Gadgets) {
        readOnly(Gadgets.releasedAt)
        writeOnly(Gadgets.secret)
        rename(Gadgets.active, "is_active")
        validate(Gadgets.name) { length(2..30) }
        validate(Gadgets.price) { min(0); max(1000); scale(1) }
        validate(Gadgets.grade) { oneOf("A", "B") }
        computed("label") { row -> row[Gadgets.name].uppercase() }
    }

    private fun app(block: Route.() -> Unit, test: suspend ApplicationTestBuilder.() -> Unit) = testApplication {
        application {
            install(Restflow)
            install(Authentication) {
                bearer("token") { authenticate { if (it.token == "good") UserIdPrincipal("ada") else null } }
            }
            routing { authenticate("token", optional = true) { block() } }
        }
        test()
    }

    private suspend fun HttpResponse.json(): JsonObject = Json.parseToJsonElement(bodyAsText()).jsonObject

    private val gadgetFields = """{""" +
        """"id":{"type":"integer","required":false,"read_only":true,"label":"Id"},""" +
        """"name":{"type":"string","required":true,"read_only":false,"label":"Name","min_length":2,"max_length":30},""" +
        """"price":{"type":"decimal","required":true,"read_only":false,"label":"Price","min_value":0,"max_value":1000,"max_digits":8,"decimal_places":1},""" +
        """"stock":{"type":"integer","required":false,"read_only":false,"label":"Stock"},""" +
        """"is_active":{"type":"boolean","required":true,"read_only":false,"label":"Is active"},""" +
        """"released_at":{"type":"datetime","required":false,"read_only":true,"label":"Released at"},""" +
        """"kind":{"type":"choice","required":true,"read_only":false,"label":"Kind","choices":[{"value":"TOOL","display_name":"TOOL"},{"value":"TOY","display_name":"TOY"}]},""" +
        """"shelf":{"type":"field","required":true,"read_only":false,"label":"Shelf"},""" +
        """"secret":{"type":"string","required":false,"read_only":false,"label":"Secret","write_only":true,"max_length":20},""" +
        """"grade":{"type":"choice","required":true,"read_only":false,"label":"Grade","max_length":1,"choices":[{"value":"A","display_name":"A"},{"value":"B","display_name":"B"}]},""" +
        """"label":{"type":"field","required":false,"read_only":true,"label":"Label"}""" +
        """}"""

    @Test
    fun `OPTIONS on the collection describes the create fields with types, rules, choices and references`() = app({
        viewSet("/gadgets", Gadgets) {
            database(access)
            serializer(gadgets)
            description("Things on shelves.")
        }
    }) {
        val response = client.options("/gadgets")
        assertEquals(HttpStatusCode.OK, response.status)
        assertEquals("GET, HEAD, POST, OPTIONS", response.headers[HttpHeaders.Allow])
        assertEquals(
            """{"name":"Gadgets List","description":"Things on shelves.","renders":["application/json"],"parses":["application/json"],""" +
                """"actions":{"POST":$gadgetFields}}""",
            response.bodyAsText(),
        )
        val detail = client.options("/gadgets/$gadget").json()
        assertEquals("Gadgets Instance", detail.getValue("name").toString().trim('"'))
        assertEquals(gadgetFields, detail.getValue("actions").jsonObject.getValue("PUT").toString())
    }

    @Test
    fun `OPTIONS lists an action only when the caller passes its permissions, as if calling it`() = app({
        viewSet("/gadgets", Gadgets) {
            database(access)
            serializer(gadgets)
            permissions(IsAuthenticatedOrReadOnly)
        }
    }) {
        val anonymous = client.options("/gadgets")
        assertEquals(HttpStatusCode.OK, anonymous.status)
        assertNull(anonymous.json()["actions"])
        assertNull(client.options("/gadgets/$gadget").json()["actions"])
        val signedIn = client.options("/gadgets") { bearerAuth("good") }.json()
        assertEquals(listOf("POST"), signedIn.getValue("actions").jsonObject.keys.toList())
        val row = client.options("/gadgets/$gadget") { bearerAuth("good") }.json()
        assertEquals(listOf("PUT"), row.getValue("actions").jsonObject.keys.toList())
    }

    @Test
    fun `OPTIONS on a row describes PUT only for a row the caller may see and change`() = app({
        viewSet("/gadgets", Gadgets) {
            database(access)
            serializer(gadgets)
            query { Gadgets.selectAll().where { Gadgets.active eq true } }
            action(ViewAction.UPDATE) {
                guards(object : Guard {
                    override suspend fun check(call: ApplicationCall) {}
                    override suspend fun checkObject(call: ApplicationCall, obj: Any) {
                        if ((obj as ResultRow)[Gadgets.grade] != "A") throw ApiException.permissionDenied()
                    }
                })
            }
        }
    }) {
        assertEquals(listOf("PUT"), client.options("/gadgets/$gadget").json().getValue("actions").jsonObject.keys.toList())
        val hidden = gadget + 1
        val outside = client.options("/gadgets/$hidden")
        assertEquals(HttpStatusCode.OK, outside.status)
        assertNull(outside.json()["actions"])
        assertNull(client.options("/gadgets/not-a-number").json()["actions"])
        transaction(db) { Gadgets.insert { it[name] = "saw"; it[price] = BigDecimal.ONE; it[active] = true; it[kind] = GadgetKind.TOOL; it[shelf] = Shelves.selectAll().first()[Shelves.id]; it[grade] = "B" } }
        assertNull(client.options("/gadgets/${gadget + 2}").json()["actions"])
    }

    @Serializable
    data class GadgetIn(val name: String, val price: Double, val count: Int = 1, val kind: GadgetKind, val tags: List<String> = emptyList(), val box: Box? = null)

    @Serializable
    data class Box(val width: Int, val fragile: Boolean = false)

    @Test
    fun `a typed request serializer is described from its class`() = app({
        viewSet("/gadgets", Gadgets) {
            database(access)
            actions(ViewAction.LIST, ViewAction.CREATE)
            requestSerializer(requestSerializer<GadgetIn> { })
            responseSerializer(gadgets)
        }
    }) {
        val post = client.options("/gadgets").json().getValue("actions").jsonObject.getValue("POST")
        assertEquals(
            """{"name":{"type":"string","required":true,"read_only":false,"label":"Name"},""" +
                """"price":{"type":"float","required":true,"read_only":false,"label":"Price"},""" +
                """"count":{"type":"integer","required":false,"read_only":false,"label":"Count"},""" +
                """"kind":{"type":"choice","required":true,"read_only":false,"label":"Kind","choices":[{"value":"TOOL","display_name":"TOOL"},{"value":"TOY","display_name":"TOY"}]},""" +
                """"tags":{"type":"list","required":false,"read_only":false,"label":"Tags"},""" +
                """"box":{"type":"nested object","required":false,"read_only":false,"label":"Box","children":{""" +
                """"width":{"type":"integer","required":true,"read_only":false,"label":"Width"},""" +
                """"fragile":{"type":"boolean","required":false,"read_only":false,"label":"Fragile"}}}}""",
            post.toString(),
        )
    }

    @Test
    fun `a read-only viewset's OPTIONS has no actions`() = app({
        viewSet("/gadgets", Gadgets) { database(access); serializer(gadgets); readOnly() }
    }) {
        val body = client.options("/gadgets").json()
        assertEquals("""{"name":"Gadgets List","renders":["application/json"],"parses":["application/json"]}""", body.toString())
        assertNull(client.options("/gadgets/$gadget").json()["actions"])
    }
}

class H2OptionsMetadataTest : OptionsMetadataContract() {
    override val db: Database = Database.connect("jdbc:h2:mem:options-${java.util.UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver")
}

class PostgresOptionsMetadataTest : OptionsMetadataContract() {
    override val db: Database = shared

    private companion object {
        val shared: Database by lazy {
            val pg = dev.restflow.testing.TestServices.newPostgresDatabase()
            Database.connect(pg.jdbcUrl, "org.postgresql.Driver", pg.user, pg.password)
        }
    }
}
