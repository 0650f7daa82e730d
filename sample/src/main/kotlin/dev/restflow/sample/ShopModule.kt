package dev.restflow.sample

import dev.restflow.ktor.view.DatabaseAccess
import dev.restflow.sample.catalog.CategoryApi.categoryRoutes
import dev.restflow.sample.catalog.ProductApi.productExportRoutes
import dev.restflow.sample.catalog.ProductApi.productRoutes
import dev.restflow.sample.reviews.ReviewApi.reviewRoutes
import java.time.Clock

import dev.restflow.ktor.Restflow
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
            jwt { signingKey = config.jwtSigningKey }
            cache { url = config.redisUrl }
            throttle { config.throttleRates.forEach { (scope, rate) -> rate(scope, rate) } }
        }
    }
    val access = DatabaseAccess(database.db)
    val clock = Clock.systemUTC()
    routing {
        get("/health") {
            call.respondText("""{"status":"ok"}""", ContentType.Application.Json)
        }
        categoryRoutes(access)
        productExportRoutes(database.db)
        productRoutes(access, clock)
        reviewRoutes(access, clock)
    }
}
