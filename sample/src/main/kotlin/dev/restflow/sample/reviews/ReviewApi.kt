package dev.restflow.sample.reviews

import dev.restflow.exposed.filter.Lookup
import dev.restflow.exposed.filter.comparison
import dev.restflow.exposed.filter.filterSet
import dev.restflow.ktor.serializer.serializer
import dev.restflow.ktor.view.DatabaseAccess
import dev.restflow.ktor.view.viewSet
import dev.restflow.ktor.permission.IsAdminUser
import dev.restflow.ktor.permission.IsAuthenticated
import dev.restflow.ktor.permission.IsAuthenticatedOrReadOnly
import dev.restflow.ktor.permission.IsOwner
import dev.restflow.ktor.view.ViewAction
import dev.restflow.sample.users.ShopAuth.userId
import io.ktor.server.routing.Route
import java.time.Clock

/** `/api/reviews`: one review per product and user (a second one is a 409 from the unique index). */
object ReviewApi {
    val serializer = serializer(Reviews) {
        readOnly(Reviews.user, Reviews.createdAt)
        validate(Reviews.rating) { min(Reviews.MIN_RATING); max(Reviews.MAX_RATING) }
        validate(Reviews.comment) { maxLength(5_000) }
    }

    val filters = filterSet(Reviews) {
        field(Reviews.product, "product") { lookups(Lookup.EXACT) }
        field(Reviews.user, "user") { lookups(Lookup.EXACT) }
        field(Reviews.rating, "rating") { basic(); comparison() }
        ordering {
            key("rating", Reviews.rating)
            key("created_at", Reviews.createdAt)
        }
    }

    fun Route.reviewRoutes(database: DatabaseAccess, clock: Clock) {
        viewSet("/api/reviews", Reviews) {
            database(database)
            serializer(serializer)
            filters(filters)
            permissions(IsAuthenticatedOrReadOnly)
            for (write in listOf(ViewAction.UPDATE, ViewAction.PARTIAL_UPDATE, ViewAction.DESTROY)) {
                action(write) { permissions(IsAuthenticated, IsOwner(Reviews.user) or IsAdminUser) }
            }
            beforeCreate { ctx ->
                ctx.data.setId(Reviews.user, ctx.call.userId())
                ctx.data[Reviews.createdAt] = clock.instant()
            }
        }
    }
}
