package dev.restflow.sample.invalidation

import dev.restflow.sample.catalog.Products
import dev.restflow.sample.reviews.Reviews
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.dao.IntEntity
import org.jetbrains.exposed.v1.dao.IntEntityClass

/** Exposed DAO entities over the shop's tables (the sample itself writes through the API and the DSL only). */
class ProductEntity(id: EntityID<Int>) : IntEntity(id) {
    companion object : IntEntityClass<ProductEntity>(Products)

    var name by Products.name
    var stock by Products.stock
}

/** A review as a DAO entity; see [ProductEntity]. */
class ReviewEntity(id: EntityID<Int>) : IntEntity(id) {
    companion object : IntEntityClass<ReviewEntity>(Reviews)

    var rating by Reviews.rating
    var comment by Reviews.comment
}
