package dev.restflow.exposed.invalidation

import dev.restflow.RestflowDsl
import dev.restflow.cache.CacheBackend
import io.micrometer.core.instrument.MeterRegistry
import kotlinx.coroutines.CoroutineScope
import org.jetbrains.exposed.v1.jdbc.Database

/**
 * Declares an [InvalidationRegistry]: rules, dispatchers and defaults. The built-in dispatchers `inline`,
 * `threadpool` (4 workers) and `coroutine` (on `Dispatchers.IO`) are always known; [threadPool], [coroutines] and
 * [dispatcher] replace or add to them. [build] fails with [IllegalArgumentException] on duplicate names and on a
 * rule, default or `spillTo` naming an unknown dispatcher (the message lists the known ones). Not thread-safe.
 */
@RestflowDsl
public class InvalidationRegistryBuilder internal constructor(
    private val backend: CacheBackend?,
    private val database: Database?,
) {
    private val rules = ArrayList<InvalidationRule>()
    private val dispatchers = LinkedHashMap<String, InvalidationDispatcher>().apply {
        put(InlineDispatcher.NAME, InlineDispatcher())
        put(ThreadPoolDispatcher.NAME, ThreadPoolDispatcher())
        put(CoroutineDispatcher.NAME, CoroutineDispatcher())
    }
    private val added = HashSet<String>()

    /** The dispatcher of rules that name none (default `inline`). */
    public var defaultDispatcher: String = InlineDispatcher.NAME

    /** Whether failures raise when neither the rule nor its dispatcher says (default false: log and count). */
    public var raiseException: Boolean = false

    /** Where `restflow.invalidation.*` meters go; none by default. */
    public var meterRegistry: MeterRegistry? = null

    /** Adds [rules]. */
    public fun rule(vararg rules: InvalidationRule): InvalidationRegistryBuilder = apply { this.rules += rules }

    /** Adds [rules]. */
    public fun rules(rules: Collection<InvalidationRule>): InvalidationRegistryBuilder = apply { this.rules += rules }

    /** Registers [dispatcher] under its name (replacing a built-in of that name; another name twice fails). */
    public fun dispatcher(dispatcher: InvalidationDispatcher): InvalidationRegistryBuilder = apply {
        require(added.add(dispatcher.name)) { "Dispatcher ${dispatcher.name} is registered twice" }
        dispatchers[dispatcher.name] = dispatcher
    }

    /** Registers a custom dispatcher function under [name]: `registerDispatcher("audit") { batch, context -> context.apply(batch) }`. */
    @JvmOverloads
    public fun registerDispatcher(name: String, raiseException: Boolean? = null, dispatch: CustomDispatch): InvalidationRegistryBuilder =
        dispatcher(CustomDispatcher(name, dispatch, raiseException))

    /** Configures the built-in `threadpool` dispatcher. */
    @JvmOverloads
    public fun threadPool(
        maxWorkers: Int = 4,
        queueCapacity: Int = 10_000,
        onFull: QueueFullPolicy = QueueFullPolicy.BLOCK,
        spillTo: String? = null,
        raiseException: Boolean? = null,
    ): InvalidationRegistryBuilder =
        dispatcher(ThreadPoolDispatcher(ThreadPoolDispatcher.NAME, maxWorkers, queueCapacity, onFull, spillTo, raiseException))

    /** Configures the built-in `coroutine` dispatcher to run in the application's [scope]. */
    @JvmOverloads
    public fun coroutines(
        scope: CoroutineScope,
        maxPending: Int = 10_000,
        onFull: QueueFullPolicy = QueueFullPolicy.BLOCK,
        spillTo: String? = null,
        raiseException: Boolean? = null,
    ): InvalidationRegistryBuilder =
        dispatcher(CoroutineDispatcher(scope, CoroutineDispatcher.NAME, maxPending, onFull, spillTo, raiseException))

    /** Fluent [defaultDispatcher] (Java). */
    public fun defaultDispatcher(name: String): InvalidationRegistryBuilder = apply { defaultDispatcher = name }

    /** Fluent [raiseException] (Java). */
    public fun raiseException(value: Boolean): InvalidationRegistryBuilder = apply { raiseException = value }

    /** Fluent [meterRegistry] (Java). */
    public fun meterRegistry(registry: MeterRegistry?): InvalidationRegistryBuilder = apply { meterRegistry = registry }

    /** The registry, subscribed to the change feed. */
    public fun build(): InvalidationRegistry =
        InvalidationRegistry(backend, rules.toList(), dispatchers.values.toList(), defaultDispatcher, raiseException, meterRegistry, database)
}

/**
 * An [InvalidationRegistry] applying rules to the commits on [database] (every database when `null`), deleting
 * from [backend] (needed by namespace targets):
 *
 * ```
 * val registry = invalidationRegistry(cache, db) { rule(productPages, summaries); defaultDispatcher = "threadpool" }
 * ```
 */
public fun invalidationRegistry(
    backend: CacheBackend?,
    database: Database? = null,
    block: InvalidationRegistryBuilder.() -> Unit,
): InvalidationRegistry = InvalidationRegistryBuilder(backend, database).apply(block).build()
