package dev.restflow.sample.catalog

import org.jetbrains.exposed.v1.core.dao.id.IntIdTable

/** Product categories; `slug` is unique and filterable, `name` is filterable (exact and icontains). */
object Categories : IntIdTable("categories") {
    val name = varchar("name", 100).index("categories_name_idx")
    val slug = varchar("slug", 100).uniqueIndex("categories_slug_key")
}
