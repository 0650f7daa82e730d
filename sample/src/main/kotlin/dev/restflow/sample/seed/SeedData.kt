package dev.restflow.sample.seed

import java.math.BigDecimal
import java.time.Duration
import java.time.Instant
import kotlin.random.Random

/**
 * The shop's demo data, as pure functions of the product count: the same count always gives the same rows
 * (Kotlin's seeded [Random] is specified to be the same on every platform and version).
 */
object SeedData {
    /** Root seed of every random choice below. */
    const val SEED: Long = 20_260_101L

    /** `date_joined` of the first account and lower bound of every product's `created_at`. */
    val EPOCH: Instant = Instant.parse("2025-01-01T00:00:00Z")

    /** Products' `created_at` values are spread over this span after [EPOCH]. */
    val PRODUCT_SPAN: Duration = Duration.ofDays(365)

    /** A seeded account; [password] is the published demo password. */
    data class Account(
        val username: String,
        val password: String,
        val email: String,
        val isStaff: Boolean,
        val isActive: Boolean,
        val dateJoined: Instant,
    )

    data class Category(val name: String, val slug: String)

    /** A seeded product; [category] and [owner] are a category slug and a username. */
    data class Product(
        val name: String,
        val description: String,
        val price: BigDecimal,
        val stock: Int,
        val category: String,
        val tags: List<String>,
        val owner: String,
        val createdAt: Instant,
    ) {
        val inStock: Boolean get() = stock > 0
    }

    val accounts: List<Account> = listOf(
        Account("admin", "admin-pass", "admin@shop.example", isStaff = true, isActive = true, EPOCH),
        Account("alice", "alice-pass", "alice@shop.example", isStaff = false, isActive = true, EPOCH.plusSeconds(DAY)),
        Account("bob", "bob-pass", "bob@shop.example", isStaff = false, isActive = true, EPOCH.plusSeconds(2 * DAY)),
        Account("carol", "carol-pass", "carol@shop.example", isStaff = false, isActive = false, EPOCH.plusSeconds(3 * DAY)),
    )

    val categories: List<Category> = listOf(Category("Books", "books"), Category("Games", "games"), Category("Tools", "tools"))

    /** Tags products draw from, each with probability 1/4. */
    val tags: List<String> = listOf("new", "sale", "bestseller", "eco", "gift", "limited", "imported")

    private const val DAY = 86_400L
    private val adjectives = listOf(
        "Classic", "Deluxe", "Compact", "Vintage", "Modern", "Rugged", "Essential", "Premium", "Pocket", "Family",
    )
    private val nouns = mapOf(
        "books" to listOf("Novel", "Cookbook", "Atlas", "Anthology", "Field Guide", "Memoir", "Handbook"),
        "games" to listOf("Board Game", "Puzzle", "Card Game", "Strategy Game", "Dice Set", "Party Game"),
        "tools" to listOf("Hammer", "Wrench", "Screwdriver Set", "Drill", "Saw", "Tape Measure", "Pliers"),
    )
    private val blurbs = listOf(
        "Built to last.",
        "A favourite with our regulars.",
        "Ships in recycled packaging.",
        "Great as a gift.",
        "Limited stock, order soon.",
        "Tested by our staff.",
    )

    /**
     * The [index]-th (0-based) of [total] products. Owners alternate alice, bob; `created_at` grows with the index
     * over [PRODUCT_SPAN] (plus up to two steps of jitter), so ordering by `created_at` differs from ordering by id.
     */
    fun product(index: Int, total: Int): Product {
        require(index in 0 until total) { "index $index out of 0 until $total" }
        val random = Random(SEED * 1_000_003L + index)
        val category = categories[random.nextInt(categories.size)].slug
        val adjective = adjectives[random.nextInt(adjectives.size)]
        val noun = nouns.getValue(category).let { it[random.nextInt(it.size)] }
        val price = BigDecimal.valueOf(random.nextLong(100, 50_000), 2)
        val stock = if (random.nextInt(5) == 0) 0 else random.nextInt(1, 200)
        val productTags = tags.filter { random.nextInt(4) == 0 }
        val step = maxOf(1L, PRODUCT_SPAN.seconds / total)
        // the jitter spans two steps, so neighbours sometimes swap: ordering by created_at is not ordering by id
        val createdAt = EPOCH.plusSeconds(index * step + random.nextLong(2 * step))
            .plusMillis(random.nextLong(1_000))
        return Product(
            name = "$adjective $noun ${index + 1}",
            description = "${article(adjective)} ${adjective.lowercase()} ${noun.lowercase()} from the $category aisle. " +
                blurbs[random.nextInt(blurbs.size)],
            price = price,
            stock = stock,
            category = category,
            tags = productTags,
            owner = if (index % 2 == 0) "alice" else "bob",
            createdAt = createdAt,
        )
    }

    private fun article(word: String): String = if (word.first().lowercaseChar() in "aeiou") "An" else "A"

    /** A seeded review of the product with 0-based [productIndex] by [author]. */
    data class Review(val productIndex: Int, val author: String, val rating: Int, val comment: String, val after: Duration)

    private val comments = listOf(
        "Exactly as described.", "Would buy again.", "Arrived late but works.", "Not what I expected.",
        "Excellent value.", "Decent, nothing special.",
    )

    /**
     * The reviews of the first twelve products (fewer if [total] is smaller): by admin, by the owner's
     * counterpart (alice ↔ bob) and by carol, never by the product's owner, never twice by one user.
     */
    fun reviews(total: Int): List<Review> = (0 until minOf(total, 12)).flatMap { index ->
        val owner = if (index % 2 == 0) "alice" else "bob"
        val other = if (owner == "alice") "bob" else "alice"
        val authors = when (index % 3) {
            0 -> listOf("admin", other)
            1 -> listOf(other)
            else -> listOf("admin", "carol")
        }
        authors.mapIndexed { j, author ->
            Review(
                productIndex = index,
                author = author,
                rating = 1 + (index * 7 + j * 3) % 5,
                comment = comments[(index + j) % comments.size],
                after = Duration.ofHours(6L * (j + 1)),
            )
        }
    }
}
