package dev.restflow.exposed.invalidation

/** A snapshot of an [InvalidationRegistry], for an admin endpoint or a log line. */
public data class InvalidationStatus(
    /** Table name → the names of the rules on it. */
    public val rulesByTable: Map<String, List<String>>,
    /** Each dispatcher, in registration order. */
    public val dispatchers: List<DispatcherStatus>,
    /** The dispatcher of rules that name none. */
    public val defaultDispatcher: String,
)

/** One dispatcher in an [InvalidationStatus]. */
public data class DispatcherStatus(
    /** Its name. */
    public val name: String,
    /** Its class's simple name. */
    public val kind: String,
    /** When it receives batches. */
    public val phase: DispatchPhase,
    /** Whether its batches survive a crash. */
    public val durable: Boolean,
    /** Batches taken and not yet applied. */
    public val pending: Int,
    /** The names of the rules dispatched through it. */
    public val rules: List<String>,
)
