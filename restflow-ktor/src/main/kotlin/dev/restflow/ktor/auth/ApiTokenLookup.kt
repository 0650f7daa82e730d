package dev.restflow.ktor.auth

import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.future.await

/**
 * Finds the user of a static API key (`Authorization: Token <key>`), like DRF's `authtoken` table. Implementations
 * compare keys by a digest or in constant time, run their I/O off the event loop and return `null` for unknown keys.
 */
public fun interface ApiTokenLookup {
    /** The user owning [key], or `null`. */
    public suspend fun findUser(key: String): AuthUser?

    public companion object {
        /** Java: a lookup returning a future. */
        @JvmStatic
        public fun of(lookup: java.util.function.Function<String, CompletableFuture<AuthUser?>>): ApiTokenLookup =
            ApiTokenLookup { lookup.apply(it).await() }
    }
}
