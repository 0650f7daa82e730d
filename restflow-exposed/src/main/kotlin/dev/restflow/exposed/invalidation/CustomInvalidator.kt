package dev.restflow.exposed.invalidation

/**
 * A rule's own invalidation work, instead of deleting cache entries: it receives what the rule resolved for a
 * commit ([InvalidationWork.whole], or the mapped values of each changed row in [InvalidationWork.args]). It runs
 * through the rule's dispatcher like any other work, possibly in another process (resolved by rule name).
 */
public fun interface CustomInvalidator {
    /** Invalidates what [work] names. An exception is handled as the rule's `raiseException` says. */
    public fun invalidate(work: InvalidationWork)
}
