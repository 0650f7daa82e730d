package dev.restflow.ktor.serializer

import dev.restflow.RestflowDsl
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.Table

/**
 * Configures a [TableSerializer] (see [serializer]):
 *
 * ```kotlin
 * serializer(Products) {
 *     exclude(Products.description)
 *     readOnly(Products.owner, Products.createdAt)
 *     rename(Products.inStock, "in_stock")
 *     validate(Products.name) { length(1..200) }
 *     validate(Products.price) { min(0); scale(2) }
 *     computed("price_with_tax") { row -> row[Products.price] * BigDecimal("1.2") }
 * }
 * ```
 *
 * Every declaration refers to columns of the serializer's table; a column of another table fails at build time.
 */
@RestflowDsl
public class TableSerializerBuilder internal constructor(private val table: Table) {
    private val all = LinkedHashMap<Column<*>, SerializerField>()
    private var selected: List<Column<*>>? = null
    private val excluded = mutableSetOf<Column<*>>()
    private val computed = mutableListOf<Pair<String, (ResultRow) -> Any?>>()
    private val objectChecks = mutableListOf<suspend (ValidatedData, FieldErrors) -> Unit>()

    /** Whether unknown and read-only fields in a body are rejected (default `true`, R-14). */
    public var strict: Boolean = true

    init {
        table.columns.forEach { all[it] = SerializerField(it, SerializerField.defaultName(it)) }
    }

    private fun field(column: Column<*>): SerializerField =
        all[column] ?: throw IllegalArgumentException("Column ${column.name} is not a column of table ${table.tableName}")

    /** Includes only [columns], in this order (default: every column of the table, in declaration order). */
    public fun fields(vararg columns: Column<*>) {
        columns.forEach(::field)
        selected = columns.toList()
    }

    /** Leaves [columns] out of the serializer. */
    public fun exclude(vararg columns: Column<*>) {
        columns.forEach(::field)
        excluded += columns
    }

    /** Renders [columns] but never accepts them in a body (in strict mode a body naming them is rejected). */
    public fun readOnly(vararg columns: Column<*>) {
        columns.forEach { field(it).readOnly = true }
    }

    /** Accepts [columns] in a body but never renders them (e.g. a password). */
    public fun writeOnly(vararg columns: Column<*>) {
        columns.forEach { field(it).writeOnly = true }
    }

    /** Names [column]'s field [name] in JSON (in bodies and output). */
    public fun rename(column: Column<*>, name: String) {
        require(name.isNotBlank()) { "A field name must not be blank" }
        field(column).name = name
    }

    /** Accepts an empty string for the string [columns] (by default, as in DRF, "This field may not be blank."). */
    public fun allowBlank(vararg columns: Column<*>) {
        columns.forEach { field(it).allowBlank = true }
    }

    /** Keeps leading and trailing whitespace of the string [columns] (trimmed by default, as in DRF). */
    public fun keepWhitespace(vararg columns: Column<*>) {
        columns.forEach { field(it).trim = false }
    }

    /** Makes [column] optional on create, written as [default] when absent. */
    public fun <T> optional(column: Column<T>, default: () -> T) {
        val f = field(column)
        f.required = false
        f.default = default
    }

    /** Makes [column] required on create and full update even though it is nullable or has a default. */
    public fun required(column: Column<*>) {
        field(column).required = true
    }

    /** Adds validation rules for [column]'s value (see [FieldRules]). */
    public fun <T> validate(column: Column<T>, rules: FieldRules<T>.() -> Unit) {
        @Suppress("UNCHECKED_CAST")
        val target = field(column).rules as FieldRules<T>? ?: FieldRules<T>().also { field(column).rules = it as FieldRules<Any?> }
        target.rules()
    }

    /**
     * Adds a check of the whole body, run after every field is valid: record problems in the [FieldErrors] (under a
     * field name or [FieldErrors.addNonField]); it may also adjust the [ValidatedData].
     */
    public fun validate(check: suspend (data: ValidatedData, errors: FieldErrors) -> Unit) {
        objectChecks += check
    }

    /**
     * Adds a read-only field [name] computed from the row (strings, numbers, booleans, lists, maps or JSON
     * elements). The row holds what the view's query selected.
     */
    public fun computed(name: String, compute: (ResultRow) -> Any?) {
        require(name.isNotBlank()) { "A field name must not be blank" }
        computed += name to compute
    }

    internal fun build(): TableSerializer {
        val chosen = (selected ?: all.keys.toList()).filter { it !in excluded }.map { all.getValue(it) }
        val names = chosen.map { it.name } + computed.map { it.first }
        val duplicate = names.groupingBy { it }.eachCount().filterValues { it > 1 }.keys
        require(duplicate.isEmpty()) { "Duplicate field names in the serializer of ${table.tableName}: $duplicate" }
        return TableSerializer(table, chosen, computed.toList(), objectChecks.toList(), strict)
    }
}
