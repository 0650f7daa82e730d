package dev.restflow.ktor.auth

import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.future.await

/**
 * Finds users for authentication. Implementations run their I/O off the event loop (suspend on `Dispatchers.IO`
 * or an Exposed suspended transaction) and return `null` for a user that does not exist.
 */
public interface UserStore {
    /** The user with [id] (as written in tokens), or `null`. */
    public suspend fun findById(id: String): AuthUser?

    /** The user with [username], or `null`. */
    public suspend fun findByUsername(username: String): AuthUser?

    public companion object {
        /** Java: a store from two lookups returning futures. */
        @JvmStatic
        public fun of(
            byId: java.util.function.Function<String, CompletableFuture<AuthUser?>>,
            byUsername: java.util.function.Function<String, CompletableFuture<AuthUser?>>,
        ): UserStore = object : UserStore {
            override suspend fun findById(id: String): AuthUser? = byId.apply(id).await()
            override suspend fun findByUsername(username: String): AuthUser? = byUsername.apply(username).await()
        }
    }
}
