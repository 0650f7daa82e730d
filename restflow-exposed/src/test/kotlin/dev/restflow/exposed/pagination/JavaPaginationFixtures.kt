package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.jdbc.Database
import java.util.UUID

/** Databases for the Java tests: connecting from Java would have to spell out every Exposed default. */
object JavaPaginationFixtures {
    /** A fresh in-memory H2 database seeded by [seedItems]. */
    @JvmStatic
    fun seededH2(): Database =
        Database.connect("jdbc:h2:mem:java-pages-${UUID.randomUUID()};DB_CLOSE_DELAY=-1", "org.h2.Driver").also(::seedItems)
}
