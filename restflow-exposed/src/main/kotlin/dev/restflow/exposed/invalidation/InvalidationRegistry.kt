package dev.restflow.exposed.invalidation

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.function.CachedFunction
import dev.restflow.exposed.change.ChangeFeed
import dev.restflow.exposed.change.TableChange
import io.micrometer.core.instrument.MeterRegistry
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.jetbrains.exposed.v1.jdbc.Database
import org.slf4j.LoggerFactory
import java.time.Duration
import java.util.UUID
import kotlin.time.toJavaDuration

/**
 * Applies [InvalidationRule]s to the commits on a database through named [InvalidationDispatcher]s. Build it with
 * [invalidationRegistry] (Kotlin) or [builder] (Java); it subscribes to [ChangeFeed] at once. [close] it when the
 * application stops: it unsubscribes and drains the dispatchers.
 *
 * For each outermost commit (or, for [DispatchPhase.BEFORE_COMMIT] dispatchers, just before it) every rule on a
 * changed table resolves its work ([InvalidationRule] gates), and the work goes to the rule's dispatcher: rules with
 * `batch = true` share one [InvalidationBatch] per dispatcher and commit, the others get one each.
 *
 * Applying ([apply], [applyEncoded], also from a worker in another process, by rule name): a namespace target's
 * partitions or whole namespace are deleted from the backend; a cached function's partitions are deleted
 * ([CachedFunction.deleteByPartition]) or all of it ([CachedFunction.invalidateAll]), then with `rewarm` each row's
 * entry is recomputed ([CachedFunction.refresh]); a custom invalidator is called. Applying blocks the calling thread
 * ([apply], [applyEncoded]: thread-based dispatchers, Java) or suspends ([applySuspending],
 * [applyEncodedSuspending]: the `coroutine` dispatcher, the Redis-stream worker, the outbox relay), with the same
 * effect; the suspending form never blocks its thread on cache I/O and runs blocking custom invalidators on
 * `Dispatchers.IO`. A failure raises when the rule's
 * `raiseException` says so, else the dispatcher's, else the registry's; otherwise it is logged and counted
 * (`restflow.invalidation.failures`) and the entries expire by TTL.
 *
 * The logger `dev.restflow.invalidation.trace` at DEBUG tells which commit dropped which keys: one line per batch a
 * commit hands to a dispatcher (`commit <id> → <dispatcher>: <items>`) and one per applied item (`batch <id>
 * (<dispatcher>): rule <name> dropped <target> <partition values | (whole)>`). Thread-safe.
 */
public class InvalidationRegistry internal constructor(
    private val backend: CacheBackend?,
    rules: List<InvalidationRule>,
    dispatchers: List<InvalidationDispatcher>,
    /** The dispatcher of rules that name none. */
    public val defaultDispatcher: String,
    private val raiseException: Boolean,
    meterRegistry: MeterRegistry?,
    database: Database?,
) : DispatchContext, AutoCloseable {
    private val log = LoggerFactory.getLogger(InvalidationRegistry::class.java)
    private val trace = LoggerFactory.getLogger("dev.restflow.invalidation.trace")
    private val metrics = InvalidationMetrics(meterRegistry)
    private val rules: Map<String, InvalidationRule>
    private val dispatchers: Map<String, InvalidationDispatcher>
    private val byTable: Map<String, List<InvalidationRule>>
    private val dispatcherOf: Map<String, InvalidationDispatcher>
    private val subscriptions: List<AutoCloseable>

    init {
        // Everything is checked before subscribing: a rejected registry leaves no listener behind.
        val ruleNames = rules.map { it.name }
        require(ruleNames.toSet().size == ruleNames.size) {
            "Rule names must be unique: ${ruleNames.groupBy { it }.filterValues { it.size > 1 }.keys}"
        }
        val dispatcherNames = dispatchers.map { it.name }
        require(dispatcherNames.toSet().size == dispatcherNames.size) { "Dispatcher names must be unique: $dispatcherNames" }
        this.rules = rules.associateBy { it.name }
        this.dispatchers = dispatchers.associateBy { it.name }
        fun known(name: String, user: String): InvalidationDispatcher = requireNotNull(this.dispatchers[name]) {
            "$user uses the unknown dispatcher '$name'; known dispatchers: ${dispatcherNames.joinToString()}"
        }
        known(defaultDispatcher, "defaultDispatcher")
        for (d in dispatchers) {
            val spill = (d as? ThreadPoolDispatcher)?.spillTo ?: (d as? CoroutineDispatcher)?.spillTo ?: continue
            val target = known(spill, "Dispatcher ${d.name}'s spillTo")
            require(target.phase == DispatchPhase.AFTER_COMMIT && target !== d) {
                "Dispatcher ${d.name} cannot spill to ${target.name}: it must be another after-commit dispatcher"
            }
        }
        dispatcherOf = rules.associate { it.name to known(it.dispatcher ?: defaultDispatcher, "Rule ${it.name}") }
        for (r in rules) {
            require(r.target !is InvalidationTarget.Namespace || backend != null) {
                "Rule ${r.name} targets ${r.target.description}: give the registry a cache backend"
            }
        }
        byTable = rules.groupBy { it.table.tableName }
        for (d in dispatchers) metrics.pendingGauge(d)
        val phases = dispatcherOf.values.map { it.phase }.toSet()
        subscriptions = buildList {
            add(ChangeFeed.subscribeRaising(database) { _, changes -> onChanges(changes, DispatchPhase.AFTER_COMMIT) })
            if (DispatchPhase.BEFORE_COMMIT in phases) {
                add(ChangeFeed.subscribeBeforeCommit(database) { _, changes -> onChanges(changes, DispatchPhase.BEFORE_COMMIT) })
            }
        }
    }

    /** The rule named [name], or `null`. */
    public fun rule(name: String): InvalidationRule? = rules[name]

    override fun dispatcher(name: String): InvalidationDispatcher = requireNotNull(dispatchers[name]) {
        "Unknown dispatcher '$name'; known dispatchers: ${dispatchers.keys.joinToString()}"
    }

    /** Rules per table, dispatchers and their pending work. */
    public fun status(): InvalidationStatus = InvalidationStatus(
        byTable.mapValues { (_, rs) -> rs.map { it.name } },
        dispatchers.values.map { d ->
            DispatcherStatus(
                d.name, d::class.java.simpleName, d.phase, d.durable, d.pending(),
                dispatcherOf.filterValues { it === d }.keys.toList(),
            )
        },
        defaultDispatcher,
    )

    /**
     * Waits until no non-durable dispatcher has pending work, up to [timeout] in all; `true` when idle. Durable
     * dispatchers are not waited for (their workers run on their own schedule).
     */
    public fun awaitIdle(timeout: Duration): Boolean {
        val deadline = System.nanoTime() + timeout.toNanos()
        for (d in dispatchers.values) {
            if (d.durable) continue
            val left = Duration.ofNanos((deadline - System.nanoTime()).coerceAtLeast(0))
            if (!d.awaitIdle(left)) return false
        }
        return true
    }

    /** [awaitIdle] with a Kotlin duration. */
    public fun awaitIdle(timeout: kotlin.time.Duration): Boolean = awaitIdle(timeout.toJavaDuration())

    /** Decodes [encoded] ([InvalidationBatch.encode]) and applies it, blocking; see [apply]. */
    public fun applyEncoded(encoded: String) {
        apply(InvalidationBatch.decode(encoded))
    }

    /** Decodes [encoded] ([InvalidationBatch.encode]) and applies it, suspending; see [applySuspending]. */
    public suspend fun applyEncodedSuspending(encoded: String) {
        applySuspending(InvalidationBatch.decode(encoded))
    }

    /**
     * Applies [batch] on the calling thread, blocking until done, item by item, rules found by name. Failures of
     * items whose `raiseException` resolves to true, and items naming a rule this registry does not know, are thrown
     * as one [InvalidationException] after every item ran (a durable worker then retries); others are logged and
     * counted. From a coroutine, use [applySuspending].
     */
    override fun apply(batch: InvalidationBatch) {
        runBlocking { applyBatch(batch, onBlockingThread = true) }
    }

    /**
     * Applies [batch] like [apply] without blocking: cache I/O and suspending custom invalidators suspend, blocking
     * custom invalidators run on `Dispatchers.IO`. Failures as in [apply]; cancellation stops before the next item.
     */
    override suspend fun applySuspending(batch: InvalidationBatch) {
        applyBatch(batch, onBlockingThread = false)
    }

    /** [onBlockingThread]: the caller's thread may block (blocking invalidators run on it, not on `Dispatchers.IO`). */
    private suspend fun applyBatch(batch: InvalidationBatch, onBlockingThread: Boolean) {
        val dispatcher = dispatchers[batch.dispatcher]
        var failed: MutableList<String>? = null
        var cause: Exception? = null
        for (item in batch.items) {
            val rule = rules[item.rule]
            if (rule == null) {
                log.error("Invalidation batch {} names the unknown rule {}; known rules: {}", batch.id, item.rule, rules.keys)
                metrics.failure(item.rule, batch.dispatcher)
                (failed ?: ArrayList<String>().also { failed = it }) += item.rule
                continue
            }
            try {
                applyWork(rule, item, onBlockingThread)
                if (trace.isDebugEnabled) {
                    trace.debug(
                        "batch {} ({}): rule {} dropped {} {}", batch.id, batch.dispatcher, rule.name, rule.target.description,
                        if (item.whole) "(whole)" else item.args,
                    )
                }
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                metrics.failure(rule.name, batch.dispatcher)
                val raise = rule.raiseException ?: dispatcher?.raiseException ?: raiseException
                if (raise) {
                    (failed ?: ArrayList<String>().also { failed = it }) += rule.name
                    if (cause == null) cause = e else cause.addSuppressed(e)
                } else {
                    log.error(
                        "Invalidation by rule {} failed (batch {}, {}); entries expire by TTL", rule.name, batch.id,
                        rule.target.description, e,
                    )
                }
            }
        }
        metrics.lag(batch.dispatcher, System.currentTimeMillis() - batch.createdAtMillis)
        failed?.let { throw InvalidationException("Invalidation failed for rules $it (batch ${batch.id}); the write has committed", it, cause) }
    }

    override fun queueFull(dispatcher: String, policy: QueueFullPolicy, batch: InvalidationBatch) {
        metrics.queueFull(dispatcher, policy)
        if (policy == QueueFullPolicy.WIDEN) metrics.widened(dispatcher, "queue_full", batch.items.count { !it.whole })
        log.warn("Invalidation queue of dispatcher {} is full: batch {} is handled by {}", dispatcher, batch.id, policy)
    }

    /** Unsubscribes, then drains and closes the dispatchers (non-durable ones first: they may spill to durable ones). */
    override fun close() {
        for (s in subscriptions) s.close()
        for (d in dispatchers.values.sortedBy { it.durable }) {
            try {
                d.close()
            } catch (e: Exception) {
                log.error("Closing invalidation dispatcher {} failed", d.name, e)
            }
        }
    }

    private fun onChanges(changes: List<TableChange>, phase: DispatchPhase) {
        val works = LinkedHashMap<String, InvalidationWork>()
        for (change in changes) {
            for (rule in byTable[change.table.tableName].orEmpty()) {
                if (rule.table != change.table || dispatcherOf.getValue(rule.name).phase != phase) continue
                val work = rule.workOf(change) ?: continue
                works.merge(rule.name, work) { a, b -> merge(a, b) }
            }
        }
        if (works.isEmpty()) return
        val commit = UUID.randomUUID().toString()
        val now = System.currentTimeMillis()
        val batches = ArrayList<InvalidationBatch>()
        val shared = LinkedHashMap<String, MutableList<InvalidationWork>>()
        for ((name, work) in works) {
            val rule = rules.getValue(name)
            val dispatcher = dispatcherOf.getValue(name).name
            if (work.whole && rule.mapping.isNotEmpty()) metrics.widened(dispatcher, "rows_unknown", 1)
            if (rule.batch) {
                shared.getOrPut(dispatcher) { ArrayList() } += work
            } else {
                batches += InvalidationBatch("$commit-${batches.size + 1}", dispatcher, now, listOf(work))
            }
        }
        for ((dispatcher, items) in shared) batches += InvalidationBatch("$commit-${batches.size + 1}", dispatcher, now, items)
        if (trace.isDebugEnabled) {
            for (b in batches) trace.debug("commit {} → {}: {}", commit, b.dispatcher, b.items)
        }
        var raised: Exception? = null
        for (b in batches) {
            val dispatcher = dispatchers.getValue(b.dispatcher)
            try {
                dispatcher.dispatch(b, this)
            } catch (e: Exception) {
                if (phase == DispatchPhase.BEFORE_COMMIT) throw e // fails the commit: nothing is kept
                val raise = e is InvalidationException || (dispatcher.raiseException ?: raiseException)
                if (e !is InvalidationException) {
                    for (item in b.items) metrics.failure(item.rule, b.dispatcher)
                    if (!raise) log.error("Dispatcher {} failed to take batch {}; entries expire by TTL", b.dispatcher, b.id, e)
                }
                if (raise) {
                    if (raised == null) raised = e else raised.addSuppressed(e)
                }
            }
        }
        if (raised != null) throw raised
    }

    private suspend fun applyWork(rule: InvalidationRule, work: InvalidationWork, onBlockingThread: Boolean) {
        when (val target = rule.target) {
            is InvalidationTarget.Custom -> {
                val suspending = target.suspending
                val blocking = target.invalidator
                when {
                    suspending != null -> suspending(work)
                    onBlockingThread -> blocking!!.invalidate(work)
                    else -> withContext(Dispatchers.IO) { blocking!!.invalidate(work) }
                }
            }
            is InvalidationTarget.Namespace -> {
                val cache = backend!!
                if (work.whole) {
                    cache.deleteNamespace(target.namespace)
                } else {
                    for (args in work.args) cache.deletePartition(target.namespace, args[InvalidationRuleBuilder.PARTITION].orEmpty())
                }
            }
            is InvalidationTarget.Function -> {
                @Suppress("UNCHECKED_CAST")
                val function = target.function as CachedFunction<Any?, Any?>
                if (work.whole) return function.invalidateAll()
                val parts = function.key.partitionNames.toSet()
                for (args in work.args) {
                    function.deleteByPartition(args.filterKeys { it in parts })
                    val argsOf = target.argsOf
                    if (rule.rewarm && argsOf != null) {
                        try {
                            function.refresh(argsOf(args))
                        } catch (e: CancellationException) {
                            throw e
                        } catch (e: Exception) {
                            // the partition is already gone: the next read loads it
                            log.warn("Rewarm by rule {} failed for {}; the entry was deleted instead", rule.name, args, e)
                        }
                    }
                }
            }
        }
    }

    /** Java entry point. */
    public companion object {
        /** A builder for a registry applying rules to the commits on [database] (all when `null`), deleting from [backend]. */
        @JvmStatic
        @JvmOverloads
        public fun builder(backend: CacheBackend?, database: Database? = null): InvalidationRegistryBuilder =
            InvalidationRegistryBuilder(backend, database)

        private fun merge(a: InvalidationWork, b: InvalidationWork): InvalidationWork = when {
            a.whole -> a
            b.whole -> b
            else -> InvalidationWork(a.rule, false, (a.args + b.args).distinct())
        }
    }
}
