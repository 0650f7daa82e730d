package dev.restflow.cache.stream

/**
 * One entry of a queue's dead-letter stream: a payload whose deliveries all failed, moved there by a
 * [RedisStreamWorker] together with the last error and the number of attempts.
 */
public class StreamDeadLetter internal constructor(
    /** The id of the entry in the dead-letter stream. */
    public val id: String,
    /** The id the entry had in the work stream. */
    public val originalId: String,
    /** The payload as enqueued. */
    public val payload: String,
    /** The last failure's message (or why the entry was abandoned). */
    public val error: String,
    /** How many deliveries were attempted. */
    public val attempts: Int,
) {
    override fun toString(): String = "StreamDeadLetter($originalId, attempts=$attempts, error=$error)"
}
