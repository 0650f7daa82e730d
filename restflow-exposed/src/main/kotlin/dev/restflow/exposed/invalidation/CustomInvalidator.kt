package dev.restflow.exposed.invalidation

/**
 * A rule's own invalidation work, instead of deleting cache entries, in its **blocking** form (Java, or a Kotlin
 * object): it receives what the rule resolved for a commit ([InvalidationWork.whole], or the mapped values of each
 * changed row in [InvalidationWork.args]). It runs through the rule's dispatcher like any other work, possibly in
 * another process (resolved by rule name).
 *
 * Threading: thread-based dispatchers (`inline`, `threadpool`, a blocking [DispatchContext.apply]) call it on their
 * own thread; coroutine-based ones ([DispatchContext.applySuspending]: `coroutine`, the Redis-stream worker, the
 * outbox relay) call it on `Dispatchers.IO`, so it never blocks their threads. Kotlin code that calls suspending
 * APIs writes the suspending form instead: [InvalidationRuleBuilder.invalidator] with a `suspend` lambda.
 */
public fun interface CustomInvalidator {
    /** Invalidates what [work] names. An exception is handled as the rule's `raiseException` says. */
    public fun invalidate(work: InvalidationWork)
}
