package dev.restflow.sample.catalog

import dev.restflow.sample.database.utcTimestamp
import dev.restflow.sample.users.Users
import org.jetbrains.exposed.v1.core.ReferenceOption
import org.jetbrains.exposed.v1.core.VarCharColumnType
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable

/**
 * Products. Indexed for the API's filters and orderings: `name`, `price`, `stock`, `category`, `owner`, and
 * `(created_at, id)` for ordering by `created_at` and for the `-created_at,-id` keyset cursor. PostgreSQL also
 * gets a GIN index on `tags` (see `ShopSchema`). `in_stock` is left unindexed: a boolean with two values does not
 * make a selective b-tree.
 */
object Products : IntIdTable("products") {
    val name = varchar("name", 200).index("products_name_idx")
    val description = text("description")
    val price = decimal("price", 10, 2).index("products_price_idx")
    val stock = integer("stock").index("products_stock_idx")
    val inStock = bool("in_stock")
    val category = reference("category_id", Categories, onDelete = ReferenceOption.RESTRICT)
        .index("products_category_idx")

    /** `VARCHAR(40)[]` on PostgreSQL, `VARCHAR(40) ARRAY` on H2 (Exposed's array column works on both). */
    val tags = array("tags", VarCharColumnType(MAX_TAG_LENGTH))
    val owner = reference("owner_id", Users, onDelete = ReferenceOption.CASCADE).index("products_owner_idx")
    val createdAt = utcTimestamp("created_at")

    init {
        index("products_created_at_id_idx", false, createdAt, id)
    }

    const val MAX_TAG_LENGTH: Int = 40
}
