package dev.restflow.ktor.auth

import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.error.respondError
import io.ktor.http.HttpHeaders
import io.ktor.server.auth.AuthenticationContext
import io.ktor.server.auth.AuthenticationFailedCause

/** The 401 answers shared by Restflow's authentication providers; each names its scheme in `WWW-Authenticate`. */
internal object Challenges {
    fun noCredentials(context: AuthenticationContext, key: String, challenge: String) {
        context.challenge(key, AuthenticationFailedCause.NoCredentials) { done, call ->
            call.respondError(ApiException.notAuthenticated(challenge))
            done.complete()
        }
    }

    fun failed(context: AuthenticationContext, key: String, challenge: String, message: String) {
        context.challenge(key, AuthenticationFailedCause.InvalidCredentials) { done, call ->
            call.respondError(ApiException.authenticationFailed(message, challenge))
            done.complete()
        }
    }

    /** The `(scheme, credentials)` of an `Authorization` header, or `null` when the header is absent or blank. */
    fun header(context: AuthenticationContext): Pair<String, String>? {
        val raw = context.call.request.headers[HttpHeaders.Authorization]?.trim()
        if (raw.isNullOrEmpty()) return null
        val scheme = raw.substringBefore(' ')
        return scheme to raw.substring(scheme.length).trim()
    }
}
