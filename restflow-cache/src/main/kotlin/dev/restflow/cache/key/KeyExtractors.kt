package dev.restflow.cache.key

/**
 * Extracts one key value from a function's arguments. `null` is rendered distinctly from every string (also from
 * `""` and `"null"`); other values by `toString()`, enums by name.
 */
public fun interface KeyValue<in Args> {
    /** The value for [args]; must be deterministic. */
    public fun extract(args: Args): Any?
}

/** Extracts a multi-value from the arguments; the key holds the values sorted, so their order does not matter. */
public fun interface KeyValues<in Args> {
    /** The values for [args]; duplicates are kept. */
    public fun extract(args: Args): Collection<Any?>
}

/**
 * Extracts named multi-valued parameters, such as a request's query string, from the arguments. The key holds
 * them sorted by name and each name's values sorted, so `?a=1&b=2` and `?b=2&a=1` share an entry.
 */
public fun interface KeyParams<in Args> {
    /** The parameters for [args]. */
    public fun extract(args: Args): Map<String, List<String>>
}
