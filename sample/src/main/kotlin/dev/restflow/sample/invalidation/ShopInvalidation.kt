package dev.restflow.sample.invalidation

import dev.restflow.cache.CacheBackend
import dev.restflow.cache.stream.RedisStreamQueue
import dev.restflow.cache.stream.RedisStreamWorker
import dev.restflow.exposed.invalidation.InlineDispatcher
import dev.restflow.exposed.invalidation.InvalidationRegistry
import dev.restflow.exposed.invalidation.InvalidationRule
import dev.restflow.exposed.invalidation.RedisStreamDispatcher
import dev.restflow.exposed.invalidation.invalidationRegistry
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.jetbrains.exposed.v1.jdbc.Database
import org.slf4j.LoggerFactory
import io.ktor.server.application.Application
import io.ktor.util.AttributeKey

/**
 * The shop's invalidation: an [InvalidationRegistry] applying [rules] to the commits on [database], deleting from
 * [cache] (the application's Restflow cache).
 *
 * - Without Redis ([redisUrl] `null`) every rule runs on the `inline` dispatcher: after the commit, on the committing
 *   thread, so the writer's next read already misses.
 * - With Redis, rules run on [InlineThenStream]: each commit's batch is applied inline (so the next read misses, on
 *   every instance, since the cache is the shared Redis) and also appended to the durable stream
 *   `rf:{shop:invalidation}:stream`, applied again by the worker running in this application (every instance runs
 *   one; the consumer group shares the entries between them). The stream copy survives a crash between the commit and
 *   the inline eviction. When Redis refuses the append, the inline eviction has already happened and the SPILL is
 *   counted.
 *
 * [close] stops the worker (it finishes the entries it read), closes the registry and then the queue.
 */
class ShopInvalidation(
    cache: CacheBackend,
    database: Database,
    rules: List<InvalidationRule>,
    redisUrl: String?,
    /** The worker's consumer name in the group; stable per instance so a restarted instance resumes its entries. */
    consumer: String = defaultConsumer(),
) : AutoCloseable {
    private val queue: RedisStreamQueue? = redisUrl?.let { RedisStreamQueue.builder(it).name(QUEUE_NAME).build() }
    private val appliedByWorker = MutableStateFlow(0L)

    /** The registry; every rule joins its commit's single batch. */
    val registry: InvalidationRegistry
    private val worker: RedisStreamWorker?

    init {
        try {
            val dispatcher = queue?.let { InlineThenStream(RedisStreamDispatcher(it)) }
            registry = invalidationRegistry(cache, database) {
                rules(rules)
                if (dispatcher != null) {
                    dispatcher(dispatcher)
                    defaultDispatcher = InlineThenStream.NAME
                } else {
                    defaultDispatcher = InlineDispatcher.NAME
                }
            }
            worker = queue?.worker { payload ->
                registry.applyEncoded(payload)
                appliedByWorker.update { it + 1 }
            }?.group(GROUP)?.consumer(consumer)?.build()
            worker?.start()
        } catch (e: Exception) {
            queue?.close()
            throw e
        }
        LOG.info("Invalidation: {} rules on the {} dispatcher", rules.size, registry.defaultDispatcher)
    }

    /** The name of the dispatcher every rule uses: `inline`, or `inline+redis-stream` with Redis. */
    val dispatcher: String get() = registry.defaultDispatcher

    /**
     * How many batches this instance's Redis stream worker has applied (always 0 without Redis). Tests wait on it:
     * a commit's work is one batch.
     */
    val applied: StateFlow<Long> get() = appliedByWorker.asStateFlow()

    override fun close() {
        try {
            worker?.stop()
        } finally {
            try {
                registry.close()
            } finally {
                queue?.close()
            }
        }
    }

    companion object {
        /** Where the shop module keeps its [ShopInvalidation] (see `Application.shopInvalidation`). */
        val KEY: AttributeKey<ShopInvalidation> = AttributeKey("sample.invalidation")

        /** The Redis stream queue's name (the hash tag of its keys). */
        const val QUEUE_NAME: String = "shop:invalidation"

        /** The consumer group of the shop's workers. */
        const val GROUP: String = "shop"

        private val LOG = LoggerFactory.getLogger(ShopInvalidation::class.java)

        private fun defaultConsumer(): String =
            System.getenv("HOSTNAME")?.takeIf { it.isNotBlank() } ?: "shop-${ProcessHandle.current().pid()}"
    }
}

/** The shop's invalidation (tests wait on it). */
val Application.shopInvalidation: ShopInvalidation get() = attributes[ShopInvalidation.KEY]
