package dev.restflow.exposed.invalidation

import dev.restflow.cache.stream.RedisStreamQueue
import dev.restflow.cache.stream.RedisStreamWorker
import dev.restflow.cache.stream.StreamUnavailableException
import org.slf4j.LoggerFactory

/**
 * The durable `redis-stream` dispatcher: after the commit, each batch is appended to [queue] (`XADD`); workers built
 * by [worker] — in every application instance or in a standalone process — read it through a consumer group and
 * apply it with [InvalidationRegistry.applyEncoded], acknowledging on success, retrying with backoff, dead-lettering
 * after the configured deliveries and re-claiming entries of dead consumers.
 *
 * When Redis cannot take a batch, it is not dropped: it is handed to the dispatcher named [fallback]
 * (`inline` by default, which evicts at once) and counted as a full queue with policy `SPILL`.
 */
public class RedisStreamDispatcher @JvmOverloads constructor(
    private val queue: RedisStreamQueue,
    override val name: String = NAME,
    private val fallback: String = InlineDispatcher.NAME,
    override val raiseException: Boolean? = null,
) : InvalidationDispatcher {
    override val durable: Boolean get() = true

    override fun dispatch(batch: InvalidationBatch, context: DispatchContext) {
        try {
            queue.enqueueBlocking(batch.encode())
        } catch (e: StreamUnavailableException) {
            LOG.warn("Redis stream {} unavailable; batch {} goes to dispatcher {}: {}", queue.name, batch.id, fallback, e.toString())
            context.queueFull(name, QueueFullPolicy.SPILL, batch)
            context.dispatcher(fallback).dispatch(batch, context)
        }
    }

    /**
     * A worker over this dispatcher's stream applying each batch to [registry] (which must declare the same rules)
     * with [InvalidationRegistry.applyEncodedSuspending], so it never blocks the worker's thread on cache I/O. A
     * batch is retried, then dead-lettered after the worker's `maxDeliveries`, only when applying it **raises**:
     * give the rule or this dispatcher `raiseException = true`, or failures are only logged and counted.
     */
    public fun worker(registry: InvalidationRegistry): RedisStreamWorker.Builder =
        queue.worker { payload: String -> registry.applyEncodedSuspending(payload) }

    /** The built-in name. */
    public companion object {
        /** `redis-stream`. */
        public const val NAME: String = "redis-stream"
        private val LOG = LoggerFactory.getLogger(RedisStreamDispatcher::class.java)
    }
}
