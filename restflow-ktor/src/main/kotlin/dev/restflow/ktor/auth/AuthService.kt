package dev.restflow.ktor.auth

import dev.restflow.ktor.auth.blacklist.BlacklistGuard
import dev.restflow.ktor.auth.blacklist.TokenBlacklistKey
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.jwt.TokenType
import dev.restflow.ktor.auth.jwt.TokenVerification
import dev.restflow.ktor.auth.jwt.VerifiedToken
import dev.restflow.ktor.auth.password.PasswordHasher
import dev.restflow.ktor.auth.password.Pbkdf2PasswordHasher
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.restflow
import dev.restflow.ktor.settings.JwtSettings
import io.ktor.server.application.Application
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.future.future
import kotlinx.coroutines.withContext
import java.security.MessageDigest
import java.util.UUID
import java.util.concurrent.CompletableFuture

/**
 * The logic behind `authRoutes`: obtain, refresh (with rotation and reuse detection), blacklist and "log out
 * everywhere". Usable without the routes, e.g. from a custom login endpoint or an admin action.
 *
 * Every token of one log-in shares a family id, claim `token_family`, carried across rotations. Presenting a refresh
 * token that was already rotated or blacklisted revokes the whole family — the legitimate descendant and the access
 * tokens issued with it stop working too — and concurrent refreshes of one token let exactly one through.
 *
 * Expected refusals are thrown as [ApiException]: 401 `authentication_failed` (with `WWW-Authenticate`) for bad
 * credentials or tokens, 503 `service_unavailable` when the blacklist store is down or slower than
 * `blacklist-timeout` (fail closed; see `blacklist-fail-open`, which only applies to lookups: revocations are never
 * dropped). Thread-safe; suspend functions are cancellable; Java uses the `…Async` variants.
 */
public class AuthService internal constructor(
    private val tokens: JwtTokens,
    private val settings: JwtSettings,
    private val users: UserStore,
    private val hasher: PasswordHasher,
    private val guard: BlacklistGuard?,
    private val realm: String,
) {
    private val dummyHash: String by lazy { hasher.hash(UUID.randomUUID().toString()) }
    private val challenge = "${settings.authHeaderTypes.first()} realm=\"$realm\""

    /** Whether a blacklist is installed (refresh-token blacklisting and reuse detection need one). */
    public val hasBlacklist: Boolean get() = guard != null

    /**
     * Checks [username] and [password] and issues a new token pair. A wrong password, an unknown user and an inactive
     * user all fail the same way — 401 "No active account found with the given credentials." — and an unknown user
     * costs a password hash too, so timing does not tell them apart.
     */
    public suspend fun obtain(username: String, password: String): TokenPair {
        val user = users.findByUsername(username)
        val stored = user?.passwordHash
        val matches = withContext(Dispatchers.Default) { hasher.verify(password, stored ?: dummyHash) }
        if (user == null || stored == null || !matches || !user.isActive) {
            throw ApiException.authenticationFailed(NO_ACTIVE_ACCOUNT, challenge)
        }
        return issuePair(user, UUID.randomUUID().toString().replace("-", ""))
    }

    /**
     * Exchanges a refresh token for a new access token and, with `rotate-refresh-tokens`, a new refresh token (the
     * old one is blacklisted). Refused with 401: an invalid, expired or access token; a revoked one (and then its
     * whole family is revoked); a deleted or inactive user; a password changed since (with `check-revoke-token`).
     */
    public suspend fun refresh(refreshToken: String): TokenPair {
        val token = verify(refreshToken, TokenType.REFRESH)
        val family = token.stringClaim(BlacklistGuard.FAMILY_CLAIM) ?: token.jti
        if (guard != null && guard.isRevoked(token)) {
            guard.write { guard.blacklist.add(BlacklistGuard.familyKey(family), familyExpiry()) }
            fail(BLACKLISTED)
        }
        val user = checkUser(token)
        if (!settings.rotateRefreshTokens) return TokenPair(issue(TokenType.ACCESS, user, family), refreshToken)
        if (guard != null) {
            val first = guard.write { guard.blacklist.add(BlacklistGuard.jtiKey(token.jti), token.expiresAt) }
            if (!first) {
                guard.write { guard.blacklist.add(BlacklistGuard.familyKey(family), familyExpiry()) }
                fail(BLACKLISTED)
            }
        }
        return issuePair(user, family)
    }

    /**
     * Logs out: blacklists [refreshToken] and its family (so access tokens issued with it stop working too) and, when
     * given and valid for the same user, [accessToken]. Blacklisting an already blacklisted token succeeds.
     *
     * @throws IllegalStateException when no blacklist is installed.
     */
    @JvmOverloads
    public suspend fun blacklist(refreshToken: String, accessToken: String? = null) {
        val g = checkNotNull(guard) { "no token blacklist is installed: call installTokenBlacklist() at start-up" }
        val token = verify(refreshToken, TokenType.REFRESH)
        val family = token.stringClaim(BlacklistGuard.FAMILY_CLAIM)
        g.write {
            g.blacklist.add(BlacklistGuard.jtiKey(token.jti), token.expiresAt)
            if (family != null) g.blacklist.add(BlacklistGuard.familyKey(family), familyExpiry())
        }
        val access = accessToken?.let { tokens.verify(it, TokenType.ACCESS) as? TokenVerification.Valid }?.token
        if (access != null && access.userId == token.userId) {
            g.write { g.blacklist.add(BlacklistGuard.jtiKey(access.jti), access.expiresAt) }
        }
    }

    /**
     * Revokes every token of [userId] issued up to now, on every instance (tokens issued within the same second are
     * revoked too). New log-ins afterwards work.
     *
     * @throws IllegalStateException when no blacklist is installed.
     */
    public suspend fun logoutEverywhere(userId: String) {
        val g = checkNotNull(guard) { "no token blacklist is installed: call installTokenBlacklist() at start-up" }
        val now = tokens.now()
        g.write { g.blacklist.revokeUserTokens(userId, now, familyExpiry()) }
    }

    /** Java: [obtain] as a future. */
    public fun obtainAsync(username: String, password: String): CompletableFuture<TokenPair> = async { obtain(username, password) }

    /** Java: [refresh] as a future. */
    public fun refreshAsync(refreshToken: String): CompletableFuture<TokenPair> = async { refresh(refreshToken) }

    /** Java: [blacklist] as a future. */
    @JvmOverloads
    public fun blacklistAsync(refreshToken: String, accessToken: String? = null): CompletableFuture<Void?> =
        async { blacklist(refreshToken, accessToken); null }

    /** Java: [logoutEverywhere] as a future. */
    public fun logoutEverywhereAsync(userId: String): CompletableFuture<Void?> = async { logoutEverywhere(userId); null }

    @OptIn(kotlinx.coroutines.DelicateCoroutinesApi::class)
    private fun <T> async(block: suspend () -> T): CompletableFuture<T> = GlobalScope.future { block() }

    private fun verify(raw: String, type: TokenType): VerifiedToken = when (val r = tokens.verify(raw, type)) {
        is TokenVerification.Valid -> r.token
        is TokenVerification.Invalid -> fail(r.message)
    }

    private suspend fun checkUser(token: VerifiedToken): AuthUser {
        val user = users.findById(token.userId) ?: fail("User not found.")
        if (!user.isActive) fail("User is inactive.")
        if (settings.checkRevokeToken) {
            val claimed = token.stringClaim(settings.revokeTokenClaim).orEmpty()
            if (!MessageDigest.isEqual(claimed.toByteArray(), RevokeFingerprint.of(user.passwordHash).toByteArray())) {
                fail("The user's password has been changed.")
            }
        }
        return user
    }

    private fun issuePair(user: AuthUser, family: String): TokenPair =
        TokenPair(issue(TokenType.ACCESS, user, family), issue(TokenType.REFRESH, user, family))

    private fun issue(type: TokenType, user: AuthUser, family: String): String {
        val claims = buildMap<String, Any?> {
            put(BlacklistGuard.FAMILY_CLAIM, family)
            if (settings.checkRevokeToken) put(settings.revokeTokenClaim, RevokeFingerprint.of(user.passwordHash))
        }
        return tokens.issue(type, user.id, claims).token
    }

    private fun familyExpiry() = tokens.now().plus(settings.refreshTokenLifetime).plus(settings.leeway).plusSeconds(1)

    private fun fail(message: String): Nothing =
        throw ApiException.authenticationFailed(message, "$challenge, error=\"invalid_token\"")

    public companion object {
        private const val NO_ACTIVE_ACCOUNT = "No active account found with the given credentials."
        private const val BLACKLISTED = "Token has been blacklisted."

        /**
         * The service of [application] (Restflow installed with a signing key) over [users], checking passwords with
         * [hasher] (default [Pbkdf2PasswordHasher]) and using the blacklist registered by `installTokenBlacklist`,
         * if any. [tokens] replaces `application.restflow.jwt` (e.g. one with a test clock).
         */
        @JvmStatic
        @JvmOverloads
        public fun create(
            application: Application,
            users: UserStore,
            hasher: PasswordHasher = Pbkdf2PasswordHasher(),
            tokens: JwtTokens? = null,
            realm: String = "restflow",
        ): AuthService {
            val context = application.restflow
            val jwt = tokens ?: checkNotNull(context.jwt) { "restflow.jwt.signing-key must be configured for the auth endpoints" }
            check(jwt.canIssue) { "restflow.jwt.signing-key must be configured for the auth endpoints: only a verifying key is set" }
            return AuthService(jwt, context.settings.jwt, users, hasher, application.attributes.getOrNull(TokenBlacklistKey), realm)
        }
    }
}
