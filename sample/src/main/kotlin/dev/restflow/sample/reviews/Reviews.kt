package dev.restflow.sample.reviews

import dev.restflow.sample.catalog.Products
import dev.restflow.sample.database.utcTimestamp
import dev.restflow.sample.users.Users
import org.jetbrains.exposed.v1.core.ReferenceOption
import org.jetbrains.exposed.v1.core.between
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable

/**
 * Product reviews: one per (product, user) — the unique index also serves `?product=` — with a rating 1..5
 * enforced by a check constraint.
 */
object Reviews : IntIdTable("reviews") {
    val product = reference("product_id", Products, onDelete = ReferenceOption.CASCADE)
    val user = reference("user_id", Users, onDelete = ReferenceOption.CASCADE).index("reviews_user_idx")
    val rating = integer("rating").check("reviews_rating_range") { it.between(MIN_RATING, MAX_RATING) }
        .index("reviews_rating_idx")
    val comment = text("comment")
    val createdAt = utcTimestamp("created_at").index("reviews_created_at_idx")

    init {
        uniqueIndex("reviews_product_user_key", product, user)
    }

    const val MIN_RATING: Int = 1
    const val MAX_RATING: Int = 5
}
