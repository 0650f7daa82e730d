package dev.restflow.cache.java

/** A blocking loader for Java callers; it runs on `Dispatchers.IO`, so it may block (JDBC, HTTP). */
public fun interface CacheLoader<Args, T> {
    /** Loads the value for [args]; any exception reaches every caller waiting for this load. */
    @Throws(Exception::class)
    public fun load(args: Args): T
}
