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
 *
 * [raiseException] defaults to `true` here: a batch whose applying fails is retried by the worker and dead-lettered
 * after its `maxDeliveries`, instead of being acknowledged with the failure only logged. Set it (or the rule's) to
 * `false` to log and drop instead.
 */
public class RedisStreamDispatcher @JvmOverloads constructor(
    private val queue: RedisStreamQueue,
    override val name: String = NAME,
    private val fallback: String = InlineDispatcher.NAME,
    override val raiseException: Boolean? = true,
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
     * batch is retried, then dead-lettered after the worker's `maxDeliveries`, when applying it raises (the default
     * of this dispatcher; a rule or dispatcher with `raiseException = false` only logs and counts failures).
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
