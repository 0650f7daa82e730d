package dev.restflow.exposed.change

import org.jetbrains.exposed.v1.core.AndOp
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.ComparisonOp
import org.jetbrains.exposed.v1.core.CompoundBooleanOp
import org.jetbrains.exposed.v1.core.EqOp
import org.jetbrains.exposed.v1.core.Expression
import org.jetbrains.exposed.v1.core.LiteralOp
import org.jetbrains.exposed.v1.core.Op
import org.jetbrains.exposed.v1.core.OrOp
import org.jetbrains.exposed.v1.core.QueryParameter
import org.jetbrains.exposed.v1.core.dao.id.EntityID
import org.jetbrains.exposed.v1.core.ops.SingleValueInListOp

/**
 * The rows a `where` pins with equality, as django-cacheops derives them: `a = 1` → `[{a: 1}]`, `a IN (1, 2)` →
 * `[{a: 1}, {a: 2}]`, `AND` combines what its pinned conjuncts say (an unpinned conjunct only narrows further),
 * `OR` concatenates when every branch is pinned. `null` when the rows cannot be told from the condition.
 */
internal object WherePins {
    /** The most pinned rows one condition may expand to before it counts as "whole table". */
    private const val MAX_ROWS = 1_000

    private val expressionsOf: ((CompoundBooleanOp) -> List<*>)? = try {
        val getter = CompoundBooleanOp::class.java.getDeclaredMethod("getExpressions\$exposed_core").apply { isAccessible = true }
        ({ op -> getter.invoke(op) as List<*> })
    } catch (_: ReflectiveOperationException) {
        null
    }

    fun of(op: Op<Boolean>?): List<Map<Column<*>, Any?>>? {
        if (op == null) return null
        return pins(op)?.takeIf { it.size <= MAX_ROWS }
    }

    private fun pins(op: Any?): List<Map<Column<*>, Any?>>? = when (op) {
        is EqOp -> eq(op)
        is SingleValueInListOp<*> -> {
            val column = op.expr as? Column<*>
            if (column == null || !op.isInList) null else op.list.map { mapOf(column to plain(it)) }
        }
        is AndOp -> and(children(op) ?: return null)
        is OrOp -> {
            val branches = children(op) ?: return null
            val out = ArrayList<Map<Column<*>, Any?>>()
            for (b in branches) out += pins(b) ?: return null
            out
        }
        else -> null
    }

    private fun eq(op: ComparisonOp): List<Map<Column<*>, Any?>>? {
        val left = op.expr1
        val right = op.expr2
        return when {
            left is Column<*> && isValue(right) -> listOf(mapOf(left to valueOf(right)))
            right is Column<*> && isValue(left) -> listOf(mapOf(right to valueOf(left)))
            else -> null
        }
    }

    private fun and(conjuncts: List<*>): List<Map<Column<*>, Any?>>? {
        var rows: List<Map<Column<*>, Any?>>? = null
        for (c in conjuncts) {
            val pinned = pins(c) ?: continue
            val current = rows
            rows = if (current == null) {
                pinned
            } else {
                val product = ArrayList<Map<Column<*>, Any?>>(current.size * pinned.size)
                for (a in current) for (b in pinned) product += a + b
                if (product.size > MAX_ROWS) return current
                product
            }
        }
        return rows
    }

    private fun children(op: CompoundBooleanOp): List<*>? = expressionsOf?.invoke(op)

    private fun isValue(e: Expression<*>): Boolean = e is QueryParameter<*> || e is LiteralOp<*>

    private fun valueOf(e: Expression<*>): Any? = plain(
        when (e) {
            is QueryParameter<*> -> e.value
            is LiteralOp<*> -> e.value
            else -> null
        },
    )

    /** An `EntityID` as its value, so consumers compare plain ids. */
    fun plain(value: Any?): Any? = if (value is EntityID<*>) value.value else value
}
