package dev.restflow.ktor.error

/** The stable error codes of the envelope, as clients match on them. */
public object ErrorCodes {
    /** 401: no credentials were presented. */
    public const val NOT_AUTHENTICATED: String = "not_authenticated"

    /** 401: credentials were presented and are wrong, expired or revoked. */
    public const val AUTHENTICATION_FAILED: String = "authentication_failed"

    /** 403: authenticated (or not required) but not allowed. */
    public const val PERMISSION_DENIED: String = "permission_denied"

    /** 400: input failed validation; `details` is keyed by field or parameter name. */
    public const val VALIDATION_ERROR: String = "validation_error"

    /** 400: the body is not well-formed (e.g. malformed JSON). */
    public const val PARSE_ERROR: String = "parse_error"

    /** 404: no such route or resource. */
    public const val NOT_FOUND: String = "not_found"

    /** 405: the route does not serve the method; the response carries `Allow`. */
    public const val METHOD_NOT_ALLOWED: String = "method_not_allowed"

    /** 406: no representation satisfies the `Accept` header. */
    public const val NOT_ACCEPTABLE: String = "not_acceptable"

    /** 409: the request conflicts with the current state (e.g. a unique constraint). */
    public const val CONFLICT: String = "conflict"

    /** 413: the request body is over the limit. */
    public const val PAYLOAD_TOO_LARGE: String = "payload_too_large"

    /** 415: the request's `Content-Type` is not accepted. */
    public const val UNSUPPORTED_MEDIA_TYPE: String = "unsupported_media_type"

    /** 429: throttled; `details.retry_after_seconds` and `Retry-After` say when to retry. */
    public const val THROTTLED: String = "throttled"

    /** 500: an unexpected failure; `details.correlation_id` names it in the server log. */
    public const val INTERNAL_ERROR: String = "internal_error"

    /** 503: a dependency is down or the server is overloaded. */
    public const val SERVICE_UNAVAILABLE: String = "service_unavailable"
}
