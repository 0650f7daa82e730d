package dev.restflow.ktor.view

import org.jetbrains.exposed.v1.core.ReferenceOption
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable

object Shelves : IntIdTable("shelves") {
    val name = varchar("name", 50).uniqueIndex("shelves_name_key")
}

object Books : IntIdTable("books") {
    val title = varchar("title", 200)
    val price = decimal("price", 10, 2)
    val stock = integer("stock")
    val shelf = reference("shelf_id", Shelves, onDelete = ReferenceOption.RESTRICT)
    val published = bool("published").default(true)
    val note = text("note").nullable()
}
