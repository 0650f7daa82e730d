package dev.restflow.benchmarks

import org.jetbrains.exposed.v1.core.dao.id.IntIdTable

/** The table of [ViewSetApp]: id, name, price, stock, active. */
public object Products : IntIdTable("products") {
    /** Product name. */
    public val name: org.jetbrains.exposed.v1.core.Column<String> = varchar("name", 100)

    /** Price in whole units. */
    public val price: org.jetbrains.exposed.v1.core.Column<Int> = integer("price")

    /** Items in stock. */
    public val stock: org.jetbrains.exposed.v1.core.Column<Int> = integer("stock")

    /** Whether the product is on sale. */
    public val active: org.jetbrains.exposed.v1.core.Column<Boolean> = bool("active")
}
