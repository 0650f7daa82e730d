package dev.restflow.ktor.stream

/**
 * One Server-Sent Event. [data] may span lines: each becomes its own `data:` line (CR LF and CR count as line
 * breaks). [id] and [event] must be single-line (a line break would let a value forge other fields), [retry] is the
 * reconnection delay in milliseconds.
 *
 * @throws IllegalArgumentException if [id] or [event] contains a line break or NUL, or [retry] is negative.
 */
public class SseEvent @JvmOverloads constructor(
    /** The payload. */
    public val data: String,
    /** The event type (`event:`), or `null` for the default `message`. */
    public val event: String? = null,
    /** The event id (`id:`), echoed by reconnecting clients in `Last-Event-ID`. */
    public val id: String? = null,
    /** The reconnection delay in milliseconds (`retry:`). */
    public val retry: Long? = null,
) {
    init {
        require(event == null || event.none { it == '\n' || it == '\r' || it == '\u0000' }) { "An SSE event name must be a single line" }
        require(id == null || id.none { it == '\n' || it == '\r' || it == '\u0000' }) { "An SSE id must be a single line without NUL" }
        require(retry == null || retry >= 0) { "retry must not be negative" }
    }

    /** The event in the `text/event-stream` wire format, ending with the blank line that dispatches it. */
    public fun encode(): String = buildString {
        id?.let { append("id: ").append(it).append('\n') }
        event?.let { append("event: ").append(it).append('\n') }
        retry?.let { append("retry: ").append(it).append('\n') }
        data.replace("\r\n", "\n").replace('\r', '\n').split('\n').forEach { append("data: ").append(it).append('\n') }
        append('\n')
    }

    override fun toString(): String = "SseEvent(event=$event, id=$id, data=${data.take(80)})"
}
