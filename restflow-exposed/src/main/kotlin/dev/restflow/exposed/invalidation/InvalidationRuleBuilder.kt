package dev.restflow.exposed.invalidation

import dev.restflow.RestflowDsl
import dev.restflow.cache.function.CachedFunction
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table

/**
 * Declares an [InvalidationRule]: see [invalidateOn] (Kotlin) or [on] (Java, fluent). Set one target: [namespace]
 * (a response cache) with [partition], [function] (a cached function) with [map], or [invalidator]. Not
 * thread-safe.
 */
@RestflowDsl
public class InvalidationRuleBuilder internal constructor(private val table: Table, private val name: String?) {
    private var target: InvalidationTarget? = null
    private val mapping = LinkedHashMap<String, Column<*>>()
    private val watch = LinkedHashSet<Column<*>>()
    private var requiredList: List<String>? = null
    private var condition: RowCondition? = null

    /** Whether inserts fire the rule (default true: a new row can change lists and counts). */
    public var onCreate: Boolean = true

    /**
     * drf-restflow's `require_args`: `true` (default), a row fires only when every mapped value is non-`NULL`;
     * `false`, `NULL` values are kept (they name the `NULL` partition). [requireArgs] with names requires only those.
     */
    public var requireArgs: Boolean = true

    /** Recompute the cached function's entry for a row's mapped values after dropping its partition (needs `argsOf`). */
    public var rewarm: Boolean = false

    /** The dispatcher's name (`inline`, `threadpool`, `coroutine` or one registered); `null`: the default. */
    public var dispatcher: String? = null

    /** Join the commit's single batch for the dispatcher instead of dispatching this rule's work alone. */
    public var batch: Boolean = false

    /** Raise this rule's failures (`null`: the dispatcher's setting, then the registry's). */
    public var raiseException: Boolean? = null

    /** Target: the entries of a cache namespace, a response cache's `namespace`. */
    public fun namespace(name: String): InvalidationRuleBuilder = apply {
        require(name.isNotEmpty()) { "A namespace must not be empty" }
        setTarget(InvalidationTarget.Namespace(name))
    }

    /** For a [namespace] target: the column whose value in each changed row names the stale partition. */
    public fun partition(column: Column<*>): InvalidationRuleBuilder = apply {
        check(column)
        mapping.clear()
        mapping[PARTITION] = column
    }

    /**
     * Target: a cached function; its partitions are named by [map]. With [rewarm], [argsOf] builds the function's
     * arguments from a row's mapped values (as text) to recompute its entry.
     */
    @JvmOverloads
    public fun <Args> function(function: CachedFunction<Args, *>, argsOf: ((Map<String, String?>) -> Args)? = null): InvalidationRuleBuilder =
        apply { setTarget(InvalidationTarget.Function(function, argsOf)) }

    /**
     * Target: a blocking custom invalidator (Java, or a [CustomInvalidator] object), run through the dispatcher like
     * any other work; coroutine-based dispatchers call it on `Dispatchers.IO`.
     */
    public fun invalidator(invalidator: CustomInvalidator): InvalidationRuleBuilder = apply {
        setTarget(InvalidationTarget.Custom(invalidator, null))
    }

    /**
     * Target: a suspending custom invalidator (Kotlin): `invalidator { work -> cache.deleteNamespace("feed") }`. It
     * runs through the dispatcher like any other work: coroutine-based dispatchers (`coroutine`, the Redis-stream
     * worker, the outbox relay) call it without blocking a thread, thread-based ones (`inline`, `threadpool`) inside
     * `runBlocking` on their thread.
     */
    @JvmSynthetic
    public fun invalidator(invalidator: suspend (work: InvalidationWork) -> Unit): InvalidationRuleBuilder = apply {
        setTarget(InvalidationTarget.Custom(null, invalidator))
    }

    /** Maps the target's partition names to the columns giving their values: `map("product_id" to Products.id)`. */
    public fun map(vararg pairs: Pair<String, Column<*>>): InvalidationRuleBuilder = apply {
        for ((arg, column) in pairs) map(arg, column)
    }

    /** Maps the partition name [arg] to [column] (Java). */
    public fun map(arg: String, column: Column<*>): InvalidationRuleBuilder = apply {
        require(arg.isNotEmpty()) { "A mapped name must not be empty" }
        check(column)
        mapping[arg] = column
    }

    /** Updates fire the rule only when they set one of [columns]. */
    public fun watch(vararg columns: Column<*>): InvalidationRuleBuilder = apply {
        for (c in columns) check(c)
        watch += columns
    }

    /** Only rows for which [condition] holds fire; see [ChangedRow] for columns the change did not capture. */
    public fun whenRow(condition: RowCondition): InvalidationRuleBuilder = apply { this.condition = condition }

    /** Requires only [names] (mapped names) to be non-`NULL`; see [requireArgs]. */
    public fun requireArgs(names: List<String>): InvalidationRuleBuilder = apply { requiredList = names.toList() }

    /** Fluent [onCreate] (Java). */
    public fun onCreate(value: Boolean): InvalidationRuleBuilder = apply { onCreate = value }

    /** Fluent [requireArgs] (Java). */
    public fun requireArgs(value: Boolean): InvalidationRuleBuilder = apply { requireArgs = value; requiredList = null }

    /** Fluent [rewarm] (Java). */
    public fun rewarm(value: Boolean): InvalidationRuleBuilder = apply { rewarm = value }

    /** Fluent [dispatcher] (Java). */
    public fun dispatcher(name: String?): InvalidationRuleBuilder = apply { dispatcher = name }

    /** Fluent [batch] (Java). */
    public fun batch(value: Boolean): InvalidationRuleBuilder = apply { batch = value }

    /** Fluent [raiseException] (Java). */
    public fun raiseException(value: Boolean?): InvalidationRuleBuilder = apply { raiseException = value }

    /** The rule, named as given or `<table>-><target>`. Fails with [IllegalArgumentException] when incomplete. */
    public fun build(): InvalidationRule {
        val label = name ?: "on ${table.tableName}"
        val t = requireNotNull(target) { "Rule $label needs a target: namespace(...), function(...) or invalidator(...)" }
        when (t) {
            is InvalidationTarget.Namespace -> require(mapping.keys.all { it == PARTITION }) {
                "Rule $label targets namespace ${t.namespace}: name its partition with partition(column), not map(...)"
            }
            is InvalidationTarget.Function -> {
                val parts = t.function.key.partitionNames
                require(mapping.isEmpty() || mapping.keys.containsAll(parts)) {
                    "Rule $label must map every partition part of ${t.description}: $parts (mapped ${mapping.keys})"
                }
                require(!rewarm || t.argsOf != null) { "Rule $label: rewarm needs function(fn, argsOf)" }
            }
            is InvalidationTarget.Custom -> Unit
        }
        val required = requiredList?.toSet() ?: if (requireArgs) mapping.keys.toSet() else emptySet()
        require(mapping.keys.containsAll(required)) { "Rule $label requires args ${required - mapping.keys} it does not map" }
        val defaultName = "${table.tableName}->" + when (t) {
            is InvalidationTarget.Namespace -> t.namespace
            is InvalidationTarget.Function -> "${t.function.key.namespace}/${t.function.key.functionId}"
            is InvalidationTarget.Custom -> requireNotNull(name) { "A rule with a custom invalidator needs a name" }
        }
        return InvalidationRule(
            name ?: defaultName, table, t, mapping.toMap(), required, watch.toSet(), onCreate, condition,
            rewarm, dispatcher, batch, raiseException,
        )
    }

    private fun setTarget(t: InvalidationTarget) {
        require(target == null) { "A rule has one target (already ${target?.description})" }
        target = t
    }

    private fun check(column: Column<*>) {
        require(column.table == table) { "Column $column is not a column of ${table.tableName}" }
    }

    /** Java entry point. */
    public companion object {
        internal const val PARTITION: String = "partition"

        /** A rule on [table] named [name] (default `<table>-><target>`), for Java: `on(T, null).namespace("x").build()`. */
        @JvmStatic
        @JvmOverloads
        public fun on(table: Table, name: String? = null): InvalidationRuleBuilder = InvalidationRuleBuilder(table, name)
    }
}

/**
 * A rule making cache entries stale when [table] changes:
 *
 * ```
 * val productPages = invalidateOn(Products) { namespace("products"); partition(Products.id) }
 * val summaries = invalidateOn(Products) { function(productSummary) { ProductArgs(it["product_id"]!!.toInt()) }; map("product_id" to Products.id); rewarm = true }
 * ```
 *
 * [name] must be stable across processes (default `<table>-><namespace>` or `<table>-><namespace>/<function>`).
 */
public fun invalidateOn(table: Table, name: String? = null, block: InvalidationRuleBuilder.() -> Unit): InvalidationRule =
    InvalidationRuleBuilder(table, name).apply(block).build()
