package dev.restflow.ktor.settings

import dev.restflow.RestflowDsl

/** Request handling limits and identity (`restflow.request`). */
public class RequestSettings internal constructor(b: RequestSettingsBuilder) {
    /**
     * `max-body-size` (default `10MB`): a request body larger than this is answered 413 `payload_too_large`
     * before it is parsed. Accepts bytes or `KB`/`MB`/`GB` (powers of 1024).
     */
    public val maxBodySize: Long = b.maxBodySize

    /** `id-header` (default `X-Request-Id`): the request-id header read, generated when absent, and echoed. */
    public val idHeader: String = b.idHeader

    /**
     * `max-concurrent-streams` (default `64`): streamed responses (JSON array, NDJSON, SSE) open at once per
     * application; one more is answered 503 `service_unavailable` with `Retry-After`.
     */
    public val maxConcurrentStreams: Int = b.maxConcurrentStreams

    override fun toString(): String =
        "RequestSettings(maxBodySize=$maxBodySize, idHeader=$idHeader, maxConcurrentStreams=$maxConcurrentStreams)"
}

/** Mutable values for [RequestSettings]. */
@RestflowDsl
public class RequestSettingsBuilder internal constructor() {
    /** See [RequestSettings.maxBodySize]. */
    public var maxBodySize: Long = 10L * 1024 * 1024

    /** See [RequestSettings.idHeader]. */
    public var idHeader: String = "X-Request-Id"

    /** See [RequestSettings.maxConcurrentStreams]. */
    public var maxConcurrentStreams: Int = 64

    internal fun copyFrom(s: RequestSettings) {
        maxBodySize = s.maxBodySize
        idHeader = s.idHeader
        maxConcurrentStreams = s.maxConcurrentStreams
    }

    internal fun validate(problems: Problems) {
        problems.atLeast("restflow.request.max-body-size", maxBodySize, 1)
        problems.atLeast("restflow.request.max-concurrent-streams", maxConcurrentStreams.toLong(), 1)
        if (!idHeader.matches(Regex("[A-Za-z0-9-]+"))) {
            problems.add("restflow.request.id-header: '$idHeader' is not a valid header name")
        }
    }
}
