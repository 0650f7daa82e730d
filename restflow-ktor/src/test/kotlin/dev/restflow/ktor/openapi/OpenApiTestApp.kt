package dev.restflow.ktor.openapi

import dev.restflow.exposed.filter.Lookup
import dev.restflow.exposed.filter.comparison
import dev.restflow.exposed.filter.filterSet
import dev.restflow.exposed.pagination.Paginators
import dev.restflow.ktor.Restflow
import dev.restflow.ktor.permission.IsAuthenticated
import dev.restflow.ktor.serializer.requestSerializer
import dev.restflow.ktor.serializer.responseSerializer
import dev.restflow.ktor.serializer.serializer
import dev.restflow.ktor.settings.ThrottleRate
import dev.restflow.ktor.throttle.AnonRateThrottle
import dev.restflow.ktor.view.Books
import dev.restflow.ktor.view.DatabaseAccess
import dev.restflow.ktor.view.Shelves
import dev.restflow.ktor.view.ViewAction
import dev.restflow.ktor.view.listView
import dev.restflow.ktor.view.viewSet
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpMethod
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.basic
import io.ktor.server.auth.bearer
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import io.swagger.v3.parser.OpenAPIV3Parser
import io.swagger.v3.parser.core.models.ParseOptions
import io.swagger.v3.parser.core.models.SwaggerParseResult
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.transactions.transaction

/** A table with a secret: its `api_key` is write-only. */
object Accounts : IntIdTable("accounts") {
    val login = varchar("login", 30)
    val apiKey = varchar("api_key", 64)
    val joined = long("joined")
}

@Serializable
data class NewBook(val title: String, val price: String, val tags: List<String> = emptyList(), val note: String? = null)

@Serializable
data class BookOut(val id: Int, val title: String, val shelf: ShelfOut)

@Serializable
data class ShelfOut(val id: Int, val name: String)

/** One application with viewsets, generic views and plain routes under several authentication schemes. */
object OpenApiTestApp {
    val bookFilters = filterSet(Books) {
        field(Books.title, "title") { lookups(Lookup.EXACT, Lookup.ICONTAINS) }
        field(Books.price, "price") { basic(); comparison() }
        field(Books.shelf, "shelf") { lookups(Lookup.EXACT, Lookup.IN) }
        ordering { key("title", Books.title); key("price", Books.price) }
    }

    fun Application.module(db: Database) {
        install(Restflow)
        install(Authentication) {
            basic("basic") { validate { null } }
            bearer("bearer") { authenticate { null } }
        }
        install(RestflowOpenApi) {
            title("Test API")
            version("2.0.0")
            server("https://api.example")
            operation("books_retrieve") { description("One book, by id.") }
        }
        val access = DatabaseAccess(db)
        routing {
            authenticate("basic", "bearer", optional = true) {
                viewSet("/books", Books) {
                    database(access)
                    filters(bookFilters)
                    action(ViewAction.CREATE) {
                        requestSerializer(requestSerializer<NewBook> { })
                        permissions(IsAuthenticated)
                    }
                    action(ViewAction.RETRIEVE) {
                        responseSerializer(responseSerializer { row -> BookOut(row[Books.id].value, row[Books.title], ShelfOut(row[Books.shelf].value, "")) })
                    }
                    action("recent", method = HttpMethod.Get) { handle { it.call.respondText("[]") } }
                }
            }
            authenticate("basic") {
                viewSet("/accounts", Accounts) {
                    database(access)
                    serializer(serializer(Accounts) { writeOnly(Accounts.apiKey); readOnly(Accounts.joined) })
                    throttles(AnonRateThrottle(ThrottleRate.parse("10/min")))
                }
            }
            listView("/shelves", Shelves) {
                database(access)
                pagination(Paginators.limitOffset(defaultLimit = 10, maxLimit = 50))
            }
            listView("/shelves/all", Shelves) {
                database(access)
                noPagination()
            }
            get("/ping") { call.respondText("pong") }.openApi {
                summary("Ping")
                tags("health")
                response(200, "Pong.", Js.obj("type" to "string"))
            }
            get("/internal") { call.respondText("secret") }.hideFromOpenApi()
        }
    }

    fun database(): Database =
        Database.connect("jdbc:h2:mem:openapi-${java.util.UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also {
            transaction(it) { SchemaUtils.create(Shelves, Books, Accounts) }
        }

    /** The served JSON document of the test app. */
    fun served(path: String = "/openapi.json"): String {
        var text = ""
        testApplication {
            application { module(database()) }
            text = client.get(path).bodyAsText()
        }
        return text
    }

    fun document(): JsonObject = Json.parseToJsonElement(served()).jsonObject

    fun parse(text: String): SwaggerParseResult = OpenAPIV3Parser().readContents(text, null, ParseOptions().apply { isResolve = true })
}
