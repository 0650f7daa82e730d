package dev.restflow.ktor.test

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.auth.AuthUser
import dev.restflow.ktor.auth.MapUserStore
import dev.restflow.ktor.auth.RestflowPrincipal
import dev.restflow.ktor.auth.TestUser
import dev.restflow.ktor.auth.authRoutes
import dev.restflow.ktor.auth.restflowJwt
import dev.restflow.ktor.auth.testHasher
import dev.restflow.ktor.cache.ResponseCache
import io.ktor.http.ContentType
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.principal
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.suspendTransaction
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import java.time.Duration
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger

/** The notes the test kit's fixture application counts. */
object Notes : IntIdTable("testkit_notes") {
    val text = varchar("text", 100)
}

/**
 * A small application for the test kit's own tests: auth routes, `/api/me` behind JWT, `/notes/count` (one query)
 * and `/cached` (response-cached for a minute).
 */
object TestKitFixture {
    const val SIGNING_KEY: String = "test-kit-signing-key-of-at-least-32-bytes!"

    /** alice (id 1) and bob (id 2); passwords `<name>-pass`. */
    @JvmStatic
    fun users(): MapUserStore = MapUserStore(
        TestUser("1", "alice", testHasher.hash("alice-pass")),
        TestUser("2", "bob", testHasher.hash("bob-pass")),
    )

    /** A user that exists in no store, for forced authentication. */
    @JvmStatic
    fun ghost(): AuthUser = TestUser("99", "ghost", null)

    /** A new in-memory H2 database with the notes table. */
    @JvmStatic
    fun newDatabase(): Database =
        Database.connect("jdbc:h2:mem:testkit-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also {
            transaction(it) { SchemaUtils.create(Notes) }
        }

    @JvmStatic
    @JvmOverloads
    fun module(app: Application, db: Database, cacheUrl: String? = null): Unit = with(app) {
        install(Restflow) {
            readApplicationConfig(false)
            settings {
                jwt {
                    signingKey = SIGNING_KEY
                    blacklistAllowInMemory = true
                }
                cache { url = cacheUrl }
            }
        }
        val store = users()
        install(Authentication) { restflowJwt { userStore = store } }
        val served = AtomicInteger()
        routing {
            authRoutes("/api/auth") {
                userStore = store
                hasher = testHasher
            }
            authenticate {
                get("/api/me") { call.respondText(call.principal<RestflowPrincipal>()!!.user.username) }
            }
            get("/notes/count") {
                val n = suspendTransaction(db) { Notes.selectAll().count() }
                call.respondText("""{"count":$n}""", ContentType.Application.Json)
            }
            route("/cached") {
                install(ResponseCache) { ttl = Duration.ofMinutes(1) }
                get { call.respondText("""{"served":${served.incrementAndGet()}}""", ContentType.Application.Json) }
            }
        }
    }
}

/** Java tests' access to the notes table (Exposed's DSL is Kotlin-only). */
object JavaNotes {
    /** Inserts a note in a transaction that joins the test's (rolled-back) one and counts the notes. */
    @JvmStatic
    fun insertAndCount(db: Database): Long = transaction(db) {
        Notes.insert { it[text] = "from java" }
        Notes.selectAll().count()
    }
}
