package dev.restflow.ktor.auth.blacklist

import dev.restflow.ktor.auth.jwt.VerifiedToken
import dev.restflow.ktor.error.ApiException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout
import org.slf4j.LoggerFactory
import java.time.Duration
import kotlin.coroutines.cancellation.CancellationException

/**
 * Runs [TokenBlacklist] calls within [timeout] and applies the fail-closed / fail-open policy.
 *
 * The call runs detached from the request and is awaited with [withTimeout], so even a backend that ignores
 * cancellation (a blocked socket or JDBC call) cannot hold the request past the bound.
 */
internal class BlacklistGuard(
    val blacklist: TokenBlacklist,
    private val timeout: Duration,
    private val failOpen: Boolean,
) {
    /** Whether [token] (its jti, its family, or its user's "revoked before") is revoked. */
    suspend fun isRevoked(token: VerifiedToken): Boolean {
        val ids = buildList {
            add(jtiKey(token.jti))
            token.stringClaim(FAMILY_CLAIM)?.let { add(familyKey(it)) }
        }
        return read(default = false) { blacklist.isRevoked(ids, token.userId, token.issuedAt) }
    }

    /** A read: on failure, fail open ([default]) or closed (503). */
    suspend fun <T> read(default: T, block: suspend () -> T): T = try {
        bounded(block)
    } catch (e: CancellationException) {
        if (e is TimeoutCancellationException) unavailable(e, default) else throw e
    } catch (e: Exception) {
        unavailable(e, default)
    }

    /** A write: always fails closed, a revocation must never be silently lost. */
    suspend fun <T> write(block: suspend () -> T): T = try {
        bounded(block)
    } catch (e: CancellationException) {
        if (e is TimeoutCancellationException) throw down(e) else throw e
    } catch (e: Exception) {
        throw down(e)
    }

    private suspend fun <T> bounded(block: suspend () -> T): T {
        val millis = timeout.toMillis().coerceAtLeast(1)
        if (blacklist.honoursCancellation) return withTimeout(millis) { block() }
        val deferred = SCOPE.async { block() }
        return try {
            withTimeout(millis) { deferred.await() }
        } finally {
            deferred.cancel()
        }
    }

    private fun <T> unavailable(cause: Exception, default: T): T {
        if (!failOpen) throw down(cause)
        LOG.warn("Token blacklist unavailable; accepting the token unchecked because blacklist-fail-open is on: {}", cause.toString())
        return default
    }

    private fun down(cause: Exception): ApiException {
        LOG.warn("Token blacklist unavailable (failing closed): {}", cause.toString())
        return ApiException.serviceUnavailable("Token revocation could not be checked, try again later.", 1)
    }

    internal companion object {
        const val FAMILY_CLAIM = "token_family"
        fun jtiKey(jti: String) = "jti:$jti"
        fun familyKey(family: String) = "family:$family"
        private val LOG = LoggerFactory.getLogger(BlacklistGuard::class.java)
        private val SCOPE = CoroutineScope(SupervisorJob() + Dispatchers.IO)

    }
}
