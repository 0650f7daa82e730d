package dev.restflow.ktor.auth.blacklist

import dev.restflow.ktor.auth.jwt.MutableClock
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The behaviour every [TokenBlacklist] shares; subclasses give one over [clock]. */
abstract class TokenBlacklistContract {
    protected val clock = MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS))

    protected abstract fun blacklist(): TokenBlacklist

    private fun id() = "jti:" + UUID.randomUUID()

    @Test
    fun `add lists an id once and reports whether it was new`() = runBlocking {
        val b = blacklist()
        val id = id()
        assertFalse(b.containsAny(listOf(id)))
        assertTrue(b.add(id, clock.instant().plusSeconds(60)))
        assertFalse(b.add(id, clock.instant().plusSeconds(60)))
        assertTrue(b.containsAny(listOf("jti:other", id)))
        assertFalse(b.containsAny(emptyList()))
    }

    @Test
    fun `concurrent adds of one id let exactly one win`() = runBlocking {
        val b = blacklist()
        val id = id()
        val wins = coroutineScope { (1..16).map { async { b.add(id, clock.instant().plusSeconds(60)) } }.awaitAll() }
        assertEquals(1, wins.count { it })
    }

    @Test
    open fun `R-09 an entry expires with its token`() = runBlocking {
        val b = blacklist()
        val id = id()
        b.add(id, clock.instant().plusSeconds(60))
        clock.now = clock.now.plusSeconds(59)
        assertTrue(b.containsAny(listOf(id)))
        clock.now = clock.now.plusSeconds(2)
        assertFalse(b.containsAny(listOf(id)))
    }

    @Test
    open fun `a user's revoked-before instant is kept, replaced and expires`() = runBlocking {
        val b = blacklist()
        val user = UUID.randomUUID().toString()
        assertNull(b.userTokensRevokedBefore(user))
        b.revokeUserTokens(user, clock.instant(), clock.instant().plusSeconds(60))
        assertEquals(clock.instant(), b.userTokensRevokedBefore(user))
        b.revokeUserTokens(user, clock.instant().plusSeconds(5), clock.instant().plusSeconds(60))
        assertEquals(clock.instant().plusSeconds(5), b.userTokensRevokedBefore(user))
        clock.now = clock.now.plusSeconds(61)
        assertNull(b.userTokensRevokedBefore(user))
    }

    @Test
    fun `isRevoked answers for listed ids and a user's revoked-before in one call`() = runBlocking {
        val b = blacklist()
        val user = UUID.randomUUID().toString()
        val jti = id()
        val family = "family:" + UUID.randomUUID()
        val issued = clock.instant()
        assertFalse(b.isRevoked(listOf(jti, family), user, issued))
        b.add(family, clock.instant().plusSeconds(60))
        assertTrue(b.isRevoked(listOf(jti, family), user, issued), "a listed family revokes")
        assertFalse(b.isRevoked(listOf(jti), user, issued), "other ids are not affected")
        b.revokeUserTokens(user, issued, clock.instant().plusSeconds(60))
        assertTrue(b.isRevoked(listOf(jti), user, issued), "issued at the revoked-before instant")
        assertTrue(b.isRevoked(listOf(jti), user, issued.minusSeconds(10)), "issued before")
        assertTrue(b.isRevoked(listOf(jti), user, null), "no issue time")
        assertFalse(b.isRevoked(listOf(jti), user, issued.plusSeconds(1)), "issued after")
        assertFalse(b.isRevoked(listOf(jti), "someone-else", issued))
    }
}
