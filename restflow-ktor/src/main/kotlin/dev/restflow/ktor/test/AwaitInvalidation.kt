package dev.restflow.ktor.test

import kotlinx.coroutines.future.await
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import java.time.Duration

/** How long [awaitInvalidation] waits for the drains by default. */
public val DEFAULT_DRAIN_TIMEOUT: Duration = Duration.ofSeconds(10)

/**
 * Runs [block] (the writes), then waits until [drain] reports that the invalidation work enqueued by their commits has
 * run, so the next read sees the cache without that entry: `awaitInvalidation({ dispatcher.awaitIdle() }) { client.patch(…) }`.
 *
 * Commits enqueue their invalidation before the writing call returns, so draining after [block] covers every write
 * [block] committed. Returns what [block] returned.
 *
 * @throws AssertionError if the drain does not finish within [timeout] (a stuck dispatcher).
 */
public suspend fun <T> awaitInvalidation(
    drain: suspend () -> Unit,
    timeout: Duration = DEFAULT_DRAIN_TIMEOUT,
    block: suspend () -> T,
): T {
    val result = block()
    withTimeoutOrNull(timeout.toMillis()) { drain() }
        ?: throw AssertionError("Invalidation did not drain within $timeout")
    return result
}

/** Runs [block], then waits for every one of [drains]; see the `suspend` form. */
public suspend fun <T> awaitInvalidation(
    drains: Collection<Drainable>,
    timeout: Duration = DEFAULT_DRAIN_TIMEOUT,
    block: suspend () -> T,
): T = awaitInvalidation({ drains.forEach { it.drain().await() } }, timeout, block)

/** Java twins of [awaitInvalidation]. */
public object Invalidations {
    /** Runs [block], then blocks until [drain] completes (at most [timeout]). */
    @JvmStatic
    @JvmOverloads
    public fun await(drain: Drainable, timeout: Duration = DEFAULT_DRAIN_TIMEOUT, block: Runnable) {
        runBlocking { awaitInvalidation(listOf(drain), timeout) { block.run() } }
    }
}
