package dev.restflow.exposed.filter

import dev.restflow.RestflowDsl
import org.jetbrains.exposed.v1.core.Expression
import org.jetbrains.exposed.v1.core.SortOrder

/**
 * Declares the ordering parameter: `ordering("order_by") { key("price", Products.price) }`.
 *
 * Clients send keys comma-separated and/or repeated, `-` for descending (`?order_by=-price,name`); they are applied
 * in the order given, an unknown key fails with `"bogus" is not a valid choice.` under the parameter's name, and the
 * table's primary key is appended as a tie-breaker so pages are deterministic. Not thread-safe; DSL use only.
 */
@RestflowDsl
public class OrderingBuilder internal constructor(internal val param: String) {
    internal val keys = LinkedHashMap<String, OrderKey>()
    internal var defaults: List<String> = emptyList()
    internal var tieBreaker: List<Expression<*>>? = null

    /**
     * Declares [name] as ordering by [columns] in turn; [descending] flips the meaning of the key (so `newest` can
     * mean `created_at DESC`), [nulls] places `NULL`s.
     */
    @JvmOverloads
    public fun key(name: String, vararg columns: Expression<*>, descending: Boolean = false, nulls: Nulls = Nulls.DEFAULT) {
        require(name.isNotEmpty() && !name.startsWith("-") && name.none { it == ',' || it.isWhitespace() }) {
            "Invalid ordering key '$name': no leading '-', commas or spaces"
        }
        require(columns.isNotEmpty()) { "Ordering key '$name' needs at least one column" }
        require(name !in keys) { "Duplicate ordering key '$name'" }
        keys[name] = OrderKey(name, columns.toList(), descending, nulls)
    }

    /** The ordering used when the parameter is absent or empty, as clients write it: `defaultOrder("-price", "name")`. */
    public fun defaultOrder(vararg keys: String) {
        defaults = keys.toList()
    }

    /** Replaces the primary-key tie-breaker by [columns] (none: no tie-breaker). */
    public fun tieBreaker(vararg columns: Expression<*>) {
        tieBreaker = columns.toList()
    }
}

/** One declared ordering key. */
internal class OrderKey(val name: String, val columns: List<Expression<*>>, val descending: Boolean, val nulls: Nulls) {
    fun sortOrder(flip: Boolean): SortOrder {
        val desc = descending != flip
        return when (nulls) {
            Nulls.DEFAULT -> if (desc) SortOrder.DESC else SortOrder.ASC
            Nulls.FIRST -> if (desc) SortOrder.DESC_NULLS_FIRST else SortOrder.ASC_NULLS_FIRST
            Nulls.LAST -> if (desc) SortOrder.DESC_NULLS_LAST else SortOrder.ASC_NULLS_LAST
        }
    }
}

/** The compiled ordering. */
internal class OrderingDef(
    val param: String,
    val keys: Map<String, OrderKey>,
    val defaults: List<String>,
    val tieBreaker: List<Expression<*>>,
)
