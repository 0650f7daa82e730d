package dev.restflow.sample.catalog

import dev.restflow.exposed.filter.Lookup
import dev.restflow.exposed.filter.filterSet
import dev.restflow.ktor.serializer.serializer
import dev.restflow.ktor.view.DatabaseAccess
import dev.restflow.ktor.view.viewSet
import dev.restflow.ktor.permission.IsAdminUser
import dev.restflow.sample.users.ShopAuth
import io.ktor.server.routing.Route

/** `/api/categories`: fields `id,name,slug`; filters `name` (exact, icontains) and `slug`. */
object CategoryApi {
    val serializer = serializer(Categories) {
        validate(Categories.name) { length(1..100) }
        validate(Categories.slug) {
            check("Enter a valid \"slug\" consisting of letters, numbers, underscores or hyphens.") { it.matches(SLUG) }
        }
    }

    val filters = filterSet(Categories) {
        field(Categories.name, "name") { lookups(Lookup.EXACT, Lookup.ICONTAINS) }
        field(Categories.slug, "slug") { lookups(Lookup.EXACT) }
        ordering { key("id", Categories.id); key("name", Categories.name) }
    }

    fun Route.categoryRoutes(database: DatabaseAccess) {
        viewSet("/api/categories", Categories) {
            database(database)
            serializer(serializer)
            filters(filters)
            permissions(ShopAuth.ReadOnly or IsAdminUser)
        }
    }

    private val SLUG = Regex("^[-a-zA-Z0-9_]+$")
}
