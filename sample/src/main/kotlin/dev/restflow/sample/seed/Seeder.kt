package dev.restflow.sample.seed

import dev.restflow.sample.catalog.Categories
import dev.restflow.sample.catalog.Products
import dev.restflow.sample.database.ShopDatabase
import dev.restflow.sample.reviews.Reviews
import dev.restflow.ktor.auth.password.Pbkdf2PasswordHasher
import dev.restflow.sample.users.Users
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.select
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.slf4j.LoggerFactory
import kotlin.random.Random

/** Fills an empty shop database with [SeedData]. */
object Seeder {
    private val log = LoggerFactory.getLogger(Seeder::class.java)

    /** Rows per JDBC batch. */
    const val BATCH_SIZE: Int = 1_000

    /** PBKDF2 rounds of the seeded accounts: below Django's 1,000,000 so seeding and demo log-ins stay fast. */
    const val PASSWORD_ITERATIONS: Int = 100_000

    /** From this many products on, progress is logged every 10 %. */
    const val PROGRESS_THRESHOLD: Int = 10_000

    /** What [seedIfEmpty] did. */
    sealed interface Outcome {
        data class Seeded(val users: Int, val categories: Int, val products: Int, val reviews: Int) : Outcome
        data object AlreadySeeded : Outcome
    }

    /**
     * Seeds users, categories, [products] products and a few reviews when the `users` table is empty, in one
     * transaction: a crash mid-way leaves the database empty, and the next start seeds again. Otherwise does
     * nothing and returns [Outcome.AlreadySeeded].
     */
    fun seedIfEmpty(database: ShopDatabase, products: Int): Outcome = transaction(database.db) {
        if (!Users.selectAll().limit(1).empty()) {
            log.info("Database already has data; not seeding")
            return@transaction Outcome.AlreadySeeded
        }
        log.info("Seeding an empty database with {} products", products)

        // Batch inserts without generated keys, then one SELECT for the ids: Exposed's generated-key handling
        // probes H2's key result set for every column, which H2 logs as an error per column.
        Users.batchInsert(SeedData.accounts.withIndex(), shouldReturnGeneratedValues = false) { (k, account) ->
            this[Users.username] = account.username
            this[Users.email] = account.email
            // Published demo passwords: a salt derived from the seed keeps the data reproducible.
            this[Users.password] = Pbkdf2PasswordHasher(PASSWORD_ITERATIONS, Random(SeedData.SEED + k))
                .let { it.hash(account.password, it.newSalt(), PASSWORD_ITERATIONS) }
            this[Users.isStaff] = account.isStaff
            this[Users.isActive] = account.isActive
            this[Users.dateJoined] = account.dateJoined
        }
        val userIds = Users.select(Users.id, Users.username).associate { it[Users.username] to it[Users.id] }

        Categories.batchInsert(SeedData.categories, shouldReturnGeneratedValues = false) { category ->
            this[Categories.name] = category.name
            this[Categories.slug] = category.slug
        }
        val categoryIds = Categories.select(Categories.id, Categories.slug)
            .associate { it[Categories.slug] to it[Categories.id] }

        val step = maxOf(1, products / 10)
        var nextReport = step
        for (start in 0 until products step BATCH_SIZE) {
            val end = minOf(products, start + BATCH_SIZE)
            Products.batchInsert(start until end, shouldReturnGeneratedValues = false) { index ->
                val product = SeedData.product(index, products)
                this[Products.name] = product.name
                this[Products.description] = product.description
                this[Products.price] = product.price
                this[Products.stock] = product.stock
                this[Products.inStock] = product.inStock
                this[Products.category] = categoryIds.getValue(product.category)
                this[Products.tags] = product.tags
                this[Products.owner] = userIds.getValue(product.owner)
                this[Products.createdAt] = product.createdAt
            }
            if (products >= PROGRESS_THRESHOLD && end >= nextReport) {
                log.info("Seeding products: {}% ({}/{})", end * 100L / products, end, products)
                while (nextReport <= end) nextReport += step
            }
        }

        val reviews = SeedData.reviews(products)
        if (reviews.isNotEmpty()) {
            val firstProducts = Products.select(Products.id, Products.createdAt)
                .orderBy(Products.id, SortOrder.ASC)
                .limit(reviews.maxOfOrNull { it.productIndex + 1 } ?: 0)
                .map { it[Products.id] to it[Products.createdAt] }
            Reviews.batchInsert(reviews, shouldReturnGeneratedValues = false) { review ->
                val (productId, productCreatedAt) = firstProducts[review.productIndex]
                this[Reviews.product] = productId
                this[Reviews.user] = userIds.getValue(review.author)
                this[Reviews.rating] = review.rating
                this[Reviews.comment] = review.comment
                this[Reviews.createdAt] = productCreatedAt.plus(review.after)
            }
        }

        Outcome.Seeded(userIds.size, categoryIds.size, products, reviews.size).also {
            log.info("Seeded {} users, {} categories, {} products, {} reviews", it.users, it.categories, it.products, it.reviews)
        }
    }
}
