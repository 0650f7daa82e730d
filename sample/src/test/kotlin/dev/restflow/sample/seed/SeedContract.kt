package dev.restflow.sample.seed

import dev.restflow.sample.SampleConfig
import dev.restflow.sample.catalog.Categories
import dev.restflow.sample.catalog.Products
import dev.restflow.sample.database.ShopDatabase
import dev.restflow.sample.database.ShopSchema
import dev.restflow.sample.reviews.Reviews
import dev.restflow.ktor.auth.password.Pbkdf2PasswordHasher
import dev.restflow.sample.users.Users
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import java.time.ZoneOffset
import java.time.temporal.ChronoUnit
import java.util.TimeZone
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue

/** Schema and seed behaviour, run against every database the shop supports (H2 and PostgreSQL). */
abstract class SeedContract {
    /** The environment of a shop on a fresh, empty database of the kind under test. */
    protected abstract fun freshEnvironment(): Map<String, String>

    private val opened = mutableListOf<ShopDatabase>()

    @AfterEach
    fun closeDatabases() {
        opened.forEach { it.close() }
    }

    private fun open(env: Map<String, String>): ShopDatabase =
        ShopDatabase.open(SampleConfig.fromEnvironment(env)).also { opened += it }

    private fun startShop(env: Map<String, String>): Pair<ShopDatabase, Seeder.Outcome> {
        val config = SampleConfig.fromEnvironment(env)
        val database = open(env)
        ShopSchema.create(database)
        return database to Seeder.seedIfEmpty(database, config.seedProducts)
    }

    private fun counts(database: ShopDatabase): List<Long> = transaction(database.db) {
        listOf(Users, Categories, Products, Reviews).map { it.selectAll().count() }
    }

    @Test
    fun `an empty database gets the schema and the documented seed`() {
        val (database, outcome) = startShop(freshEnvironment())

        val expectedReviews = SeedData.reviews(50).size
        assertEquals(Seeder.Outcome.Seeded(4, 3, 50, expectedReviews), outcome)
        assertEquals(listOf(4L, 3L, 50L, expectedReviews.toLong()), counts(database))
        val slugs = transaction(database.db) { Categories.selectAll().map { it[Categories.slug] }.toSet() }
        assertEquals(setOf("books", "games", "tools"), slugs)
    }

    @Test
    fun `the four accounts have the documented flags and their passwords verify`() {
        val (database, _) = startShop(freshEnvironment())

        val users = transaction(database.db) { Users.selectAll().associateBy { it[Users.username] } }
        assertEquals(setOf("admin", "alice", "bob", "carol"), users.keys)
        assertEquals(mapOf("admin" to true, "alice" to false, "bob" to false, "carol" to false), users.mapValues { it.value[Users.isStaff] })
        assertEquals(mapOf("admin" to true, "alice" to true, "bob" to true, "carol" to false), users.mapValues { it.value[Users.isActive] })
        users.forEach { (name, row) ->
            val hash = row[Users.password]
            assertTrue(hash.startsWith("pbkdf2_sha256\$100000\$"), hash)
            assertTrue(Pbkdf2PasswordHasher().verify("$name-pass", hash), name)
            assertFalse(Pbkdf2PasswordHasher().verify("wrong-pass", hash), name)
        }
    }

    @Test
    fun `starting again on a seeded database does not seed twice`() {
        val env = freshEnvironment()
        val (first, _) = startShop(env)
        val before = counts(first)
        first.close()

        val (second, outcome) = startShop(env)

        assertIs<Seeder.Outcome.AlreadySeeded>(outcome)
        assertEquals(before, counts(second))
    }

    @Test
    fun `SAMPLE_SEED_PRODUCTS sets the number of products`() {
        val (database, _) = startShop(freshEnvironment() + ("SAMPLE_SEED_PRODUCTS" to "7"))

        assertEquals(listOf(4L, 3L, 7L, SeedData.reviews(7).size.toLong()), counts(database))
    }

    @Test
    fun `SAMPLE_SEED_PRODUCTS 0 seeds accounts and categories only`() {
        val (database, _) = startShop(freshEnvironment() + ("SAMPLE_SEED_PRODUCTS" to "0"))

        assertEquals(listOf(4L, 3L, 0L, 0L), counts(database))
    }

    @Test
    fun `stored products equal the deterministic seed data, tags and UTC timestamps included`() {
        val (database, _) = startShop(freshEnvironment() + ("SAMPLE_SEED_PRODUCTS" to "20"))

        val stored = transaction(database.db) {
            val slugs = Categories.selectAll().associate { it[Categories.id] to it[Categories.slug] }
            val names = Users.selectAll().associate { it[Users.id] to it[Users.username] }
            Products.selectAll().orderBy(Products.id, SortOrder.ASC).map {
                SeedData.Product(
                    name = it[Products.name],
                    description = it[Products.description],
                    price = it[Products.price],
                    stock = it[Products.stock],
                    category = slugs.getValue(it[Products.category]),
                    tags = it[Products.tags],
                    owner = names.getValue(it[Products.owner]),
                    createdAt = it[Products.createdAt],
                ).also { p -> assertEquals(p.inStock, it[Products.inStock]) }
            }
        }

        val expected = (0 until 20).map { SeedData.product(it, 20) }
            .map { it.copy(createdAt = it.createdAt.truncatedTo(ChronoUnit.MICROS)) }
        assertEquals(expected, stored)
        assertTrue(stored.any { it.tags.size > 1 })
    }

    @Test
    fun `timestamps are stored as UTC wall-clock time whatever the JVM time zone`() {
        val previous = TimeZone.getDefault()
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"))
        try {
            val (database, _) = startShop(freshEnvironment() + ("SAMPLE_SEED_PRODUCTS" to "1"))
            val createdAt = SeedData.product(0, 1).createdAt
            val storedHour = transaction(database.db) {
                exec("SELECT EXTRACT(HOUR FROM created_at) FROM products") { rs -> rs.next(); rs.getInt(1) }
            }
            assertEquals(createdAt.atOffset(ZoneOffset.UTC).hour, storedHour)
        } finally {
            TimeZone.setDefault(previous)
        }
    }

    /** Index names the database reports for [table]. */
    protected fun indexNames(database: ShopDatabase, table: String): Set<String> =
        database.dataSource.connection.use { c ->
            c.metaData.getIndexInfo(null, null, table, false, false).use { rs ->
                buildSet { while (rs.next()) rs.getString("INDEX_NAME")?.let { add(it.lowercase()) } }
            }
        }

    @Test
    fun `the indexes used by the API's filters and orderings exist`() {
        val (database, _) = startShop(freshEnvironment() + ("SAMPLE_SEED_PRODUCTS" to "0"))

        // H2 names the index behind a unique constraint `<constraint>_index_<n>`, hence the prefix match.
        fun assertIndexes(table: String, vararg expected: String) {
            val names = indexNames(database, table)
            expected.forEach { name -> assertTrue(names.any { it.startsWith(name) }, "$name on $table: $names") }
        }
        assertIndexes(
            "products", "products_name_idx", "products_price_idx", "products_stock_idx", "products_category_idx",
            "products_owner_idx", "products_created_at_id_idx",
        )
        assertIndexes("categories", "categories_slug_key", "categories_name_idx")
        assertIndexes("users", "users_username_key")
        assertIndexes("reviews", "reviews_product_user_key", "reviews_user_idx", "reviews_rating_idx", "reviews_created_at_idx")
    }

    @Test
    fun `the database enforces the rating range and one review per product and user`() {
        val (database, _) = startShop(freshEnvironment() + ("SAMPLE_SEED_PRODUCTS" to "3"))
        val existing = transaction(database.db) { Reviews.selectAll().first() }

        fun insertReview(rating: Int, product: Any = existing[Reviews.product], user: Any = existing[Reviews.user]) =
            transaction(database.db) {
                maxAttempts = 1
                Reviews.insert {
                    @Suppress("UNCHECKED_CAST")
                    it[Reviews.product] = product as org.jetbrains.exposed.v1.core.dao.id.EntityID<Int>
                    @Suppress("UNCHECKED_CAST")
                    it[Reviews.user] = user as org.jetbrains.exposed.v1.core.dao.id.EntityID<Int>
                    it[Reviews.rating] = rating
                    it[Reviews.comment] = "again"
                    it[Reviews.createdAt] = SeedData.EPOCH
                }
            }

        assertFailsWith<Exception> { insertReview(rating = 3) }
        val owner = transaction(database.db) { Products.selectAll().first()[Products.owner] }
        val product = transaction(database.db) { Products.selectAll().first()[Products.id] }
        assertFailsWith<Exception> { insertReview(rating = 6, product = product, user = owner) }
        assertFailsWith<Exception> { insertReview(rating = 0, product = product, user = owner) }
    }
}
