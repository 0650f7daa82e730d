package dev.restflow.sample.seed

import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue

class SeedDataTest {
    @Test
    fun `the same product count always gives the same products`() {
        assertEquals((0 until 50).map { SeedData.product(it, 50) }, (0 until 50).map { SeedData.product(it, 50) })
    }

    @Test
    fun `products are plausible shop items`() {
        val products = (0 until 500).map { SeedData.product(it, 500) }

        products.forEach { p ->
            assertTrue(p.name.length in 1..200, p.name)
            assertEquals(2, p.price.scale())
            assertTrue(p.price.signum() > 0)
            assertTrue(p.stock >= 0)
            assertEquals(p.stock > 0, p.inStock)
            assertTrue(p.tags.all { it in SeedData.tags })
            assertTrue(p.createdAt >= SeedData.EPOCH)
        }
        assertEquals(setOf("alice", "bob"), products.map { it.owner }.toSet())
        assertEquals(setOf("books", "games", "tools"), products.map { it.category }.toSet())
        assertTrue(products.any { !it.inStock } && products.any { it.tags.isEmpty() } && products.any { it.tags.size > 1 })
        // created_at roughly follows the id but not exactly, so the two orderings differ
        assertTrue(products.zipWithNext().any { (a, b) -> a.createdAt > b.createdAt })
    }

    @Test
    fun `reviews are never by the product's owner nor twice by one user`() {
        val reviews = SeedData.reviews(50)

        assertTrue(reviews.size in 10..30)
        reviews.forEach { r ->
            assertNotEquals(SeedData.product(r.productIndex, 50).owner, r.author)
            assertTrue(r.rating in 1..5)
        }
        assertEquals(reviews.size, reviews.map { it.productIndex to it.author }.toSet().size)
    }

    @Test
    fun `fewer products get fewer reviews and none without products`() {
        assertEquals(emptyList(), SeedData.reviews(0))
        assertTrue(SeedData.reviews(2).all { it.productIndex < 2 })
    }
}
