package dev.restflow.exposed.filter

/**
 * A cross-field check run after every parameter parsed successfully: `validate { ctx -> ... }`.
 *
 * Reject with [FilterValidationContext.reject]; the filter set then fails as for any invalid value.
 */
public fun interface FilterValidator {
    /** Inspects the parsed values in [context] and rejects what does not fit together. */
    public fun validate(context: FilterValidationContext)
}
