package dev.restflow.exposed.filter

import dev.restflow.RestflowDsl
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table

/**
 * Declares fields of a table reached through a foreign key: `related(Products.category) { field(Categories.slug) }`
 * gives `category__slug`, matched with `category IN (SELECT id FROM categories WHERE slug = ?)`, so the outer query
 * needs no join and returns each row once. Not thread-safe; DSL use only.
 */
@RestflowDsl
public class RelatedFilterBuilder internal constructor(
    /** The table the foreign key points to. */
    public val table: Table,
    private val prefix: String,
    private val path: List<Column<*>>,
    private val registry: FieldRegistry,
    private val group: FilterGroup,
) {
    /** A field on [table]'s [column], named `<prefix>__<name>`. */
    public fun <V : Any> field(column: Column<out V?>, name: String = column.name, block: FieldBuilder<V>.() -> Unit = {}) {
        require(column.table === table) { "Column $column is not a column of ${table.tableName}" }
        registry.field(column, prefix + name, path, group, block)
    }

    /** A field for every column of [table] except [exclude], with type-appropriate lookups. */
    public fun fromTable(exclude: Collection<Column<*>> = emptyList()) {
        registry.fromTable(table, exclude, prefix, path, group)
    }

    /** Fields one more foreign key away, named `<prefix>__<nested prefix>__<name>`. */
    public fun related(foreignKey: Column<*>, prefix: String = defaultRelatedPrefix(foreignKey), block: RelatedFilterBuilder.() -> Unit) {
        val target = requireNotNull(foreignKey.referee) { "Column $foreignKey is not a foreign key (no reference)" }
        RelatedFilterBuilder(target.table, this.prefix + prefix + "__", path + foreignKey, registry, group).block()
    }
}

/** `category_id` → `category`: the default name prefix of fields reached through [foreignKey]. */
internal fun defaultRelatedPrefix(foreignKey: Column<*>): String = foreignKey.name.removeSuffix("_id")
