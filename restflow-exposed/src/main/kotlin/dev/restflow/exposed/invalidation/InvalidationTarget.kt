package dev.restflow.exposed.invalidation

import dev.restflow.cache.function.CachedFunction

/** What a rule invalidates: a response cache's namespace, a cached function, or a custom invalidator. */
public sealed class InvalidationTarget {
    /** A short description for logs and status (`namespace products`, `function products/summary`). */
    public abstract val description: String

    /** Entries of a cache namespace (a response cache's), by partition or all. */
    public class Namespace internal constructor(
        /** The namespace. */
        public val namespace: String,
    ) : InvalidationTarget() {
        override val description: String get() = "namespace $namespace"
    }

    /**
     * A [CachedFunction]: its partitions by the mapped values ([CachedFunction.deleteByPartition]) or all of it
     * ([CachedFunction.invalidateAll]); with rewarm, the entry of the arguments built by [argsOf] is recomputed.
     */
    public class Function internal constructor(
        /** The cached function. */
        public val function: CachedFunction<*, *>,
        internal val argsOf: ((Map<String, String?>) -> Any?)?,
    ) : InvalidationTarget() {
        override val description: String get() = "function ${function.key.namespace}/${function.key.functionId}"
    }

    /**
     * A custom invalidator, either blocking ([invalidator], from Java or a [CustomInvalidator] object) or suspending
     * (a Kotlin `invalidator { work -> ... }` lambda, [isSuspending]).
     */
    public class Custom internal constructor(
        /** The blocking invalidator, or `null` when the rule was given a suspending one ([isSuspending]). */
        public val invalidator: CustomInvalidator?,
        internal val suspending: (suspend (InvalidationWork) -> Unit)?,
    ) : InvalidationTarget() {
        init {
            require((invalidator == null) != (suspending == null)) { "A custom target has one invalidator" }
        }

        /** Whether the invalidator is the suspending form (it never blocks a coroutine dispatcher's thread). */
        public val isSuspending: Boolean get() = suspending != null

        override val description: String get() = if (isSuspending) "custom (suspending)" else "custom"
    }
}
