package dev.restflow.sample

import dev.restflow.ktor.auth.blacklist.DatabaseTokenBlacklist
import dev.restflow.ktor.auth.blacklist.installTokenBlacklist
import dev.restflow.ktor.auth.restflowJwt
import dev.restflow.ktor.settings.BlacklistBackend
import dev.restflow.ktor.view.DatabaseAccess
import dev.restflow.sample.users.ShopAuth
import dev.restflow.sample.users.ShopAuth.authEndpoints
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import dev.restflow.sample.catalog.CategoryApi.categoryRoutes
import dev.restflow.sample.catalog.ProductApi.productExportRoutes
import dev.restflow.sample.catalog.ProductApi.productListVariants
import dev.restflow.sample.catalog.ProductApi
import dev.restflow.sample.catalog.ProductApi.productRoutes
import dev.restflow.sample.invalidation.ShopInvalidation
import dev.restflow.sample.ranking.TopProducts
import dev.restflow.ktor.restflow
import io.ktor.server.application.ApplicationStopped
import dev.restflow.sample.reviews.ReviewApi.reviewRoutes
import dev.restflow.sample.events.ProductEventHub
import dev.restflow.sample.events.eventRoutes
import java.time.Clock

import dev.restflow.ktor.Restflow
import dev.restflow.ktor.openapi.RestflowOpenApi
import dev.restflow.ktor.openapi.openApi
import dev.restflow.ktor.openapi.schemaRef
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonObject
import dev.restflow.sample.database.ShopDatabase
import io.ktor.server.application.install
import io.ktor.http.ContentType
import io.ktor.server.application.Application
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing

/**
 * The shop application: plugins and routes over an open, migrated [database].
 *
 * Keep it free of start-up work that can take long (schema, seeding): Ktor 3.5 gives modules
 * `ktor.application.startupTimeoutMillis` (10 s by default) to load. `install(Restflow) { … }` goes first here.
 */
fun Application.shopModule(config: SampleConfig, database: ShopDatabase) {
    install(Restflow) {
        settings {
            jwt {
                signingKey = config.jwtSigningKey
                if (config.redisUrl == null) blacklistBackend = BlacklistBackend.DATABASE
            }
            cache { url = config.redisUrl }
            throttle { config.throttleRates.forEach { (scope, rate) -> rate(scope, rate) } }
        }
    }
    // /openapi.json, /openapi.yaml and Swagger UI at /docs, generated from the routes below
    install(RestflowOpenApi) {
        title("Restflow sample shop")
        version("1.0.0")
        description("The shop API of the Restflow sample: users, categories, products and reviews.")
    }
    val users = ShopAuth.userStore(database.db)
    if (config.redisUrl == null) {
        DatabaseTokenBlacklist(database.db).createTable()
        installTokenBlacklist(DatabaseTokenBlacklist(database.db))
    }
    install(Authentication) {
        restflowJwt(ShopAuth.JWT) { userStore = users }
    }
    val access = DatabaseAccess(database.db)
    // GET /api/java/top-products, written in Java (sample/src/main/java)
    val topProducts = TopProducts(restflow.cache, access)
    // Product retrieve, the product lists and the Java ranking: evicted by every committed change (API, DAO, bulk SQL)
    val invalidation = ShopInvalidation(restflow.cache, database.db, ProductApi.cacheRules + topProducts.rules(), config.redisUrl)
    attributes.put(ShopInvalidation.KEY, invalidation)
    monitor.subscribe(ApplicationStopped) { invalidation.close() }
    val events = ProductEventHub(database.db)
    monitor.subscribe(ApplicationStopped) { events.close() }
    val clock = Clock.systemUTC()
    routing {
        get("/health") {
            call.respondText("""{"status":"ok"}""", ContentType.Application.Json)
        }.openApi {
            summary("Liveness check")
            response(200, "The application is up.", schemaRef("Health"))
            schema("Health", buildJsonObject { put("type", "object"); putJsonObject("properties") { putJsonObject("status") { put("type", "string") } } })
        }
        eventRoutes(events)
        authenticate(ShopAuth.JWT, optional = true) {
            authEndpoints(users, database.db)
            categoryRoutes(access)
            productExportRoutes(database.db)
            productListVariants(access, cursorSecret(config.jwtSigningKey))
            productRoutes(access, clock)
            reviewRoutes(access, clock)
            topProducts.mount(this)
        }
    }
}

/** The key that signs pagination cursors, derived from the JWT key so every instance of one deployment shares it. */
private fun cursorSecret(jwtKey: String): ByteArray =
    java.security.MessageDigest.getInstance("SHA-256").digest("restflow-cursor:$jwtKey".toByteArray())
