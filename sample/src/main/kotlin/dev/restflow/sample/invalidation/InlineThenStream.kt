package dev.restflow.sample.invalidation

import dev.restflow.exposed.invalidation.DispatchContext
import dev.restflow.exposed.invalidation.InlineDispatcher
import dev.restflow.exposed.invalidation.InvalidationBatch
import dev.restflow.exposed.invalidation.InvalidationDispatcher
import dev.restflow.exposed.invalidation.RedisStreamDispatcher

/**
 * The shop's dispatcher with Redis: each batch is applied `inline` right after the commit — so, as SAMPLE_API.md
 * promises, the writer's next read (on any instance: the cache is the shared Redis) already misses — and also
 * appended to the durable stream, whose worker applies it again. The second application is harmless (evictions are
 * idempotent) and is what survives a crash between the commit and the inline eviction.
 */
class InlineThenStream(private val stream: RedisStreamDispatcher) : InvalidationDispatcher {
    override val name: String = NAME
    override val durable: Boolean get() = true

    override fun dispatch(batch: InvalidationBatch, context: DispatchContext) {
        try {
            context.dispatcher(InlineDispatcher.NAME).dispatch(batch, context)
        } finally {
            stream.dispatch(batch, context)
        }
    }

    companion object {
        /** `inline+redis-stream`. */
        const val NAME: String = "inline+redis-stream"
    }
}
