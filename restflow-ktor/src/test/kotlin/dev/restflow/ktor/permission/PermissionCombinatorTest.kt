package dev.restflow.ktor.permission

import dev.restflow.ktor.error.ApiException
import io.ktor.http.HttpMethod
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

class PermissionCombinatorTest {
    private val cases = listOf(true to true, true to false, false to true, false to false)

    @Test
    fun `and follows its truth table and skips the right side when the left denies`() {
        for ((l, r) in cases) {
            val a = Counting(l)
            val b = Counting(r)
            val result = onCall { (a and b).hasPermission(it) }
            assertEquals(l && r, result, "$l and $r")
            assertEquals(1, a.calls)
            assertEquals(if (l) 1 else 0, b.calls, "right side of $l and $r")
        }
    }

    @Test
    fun `or follows its truth table and skips the right side when the left allows`() {
        for ((l, r) in cases) {
            val a = Counting(l)
            val b = Counting(r)
            val result = onCall { (a or b).hasPermission(it) }
            assertEquals(l || r, result, "$l or $r")
            assertEquals(1, a.calls)
            assertEquals(if (l) 0 else 1, b.calls, "right side of $l or $r")
        }
    }

    @Test
    fun `not negates both the permission and the object permission`() {
        for (v in listOf(true, false)) {
            val a = Counting(v, allowObject = v)
            assertEquals(!v, onCall { (!a).hasPermission(it) })
            assertEquals(!v, onCall { (!a).hasObjectPermission(it, Any()) })
            assertEquals(1, a.calls)
            assertEquals(1, a.objectCalls)
        }
    }

    @Test
    fun `and on objects follows its truth table and short-circuits`() {
        for ((l, r) in cases) {
            val a = Counting(true, allowObject = l)
            val b = Counting(true, allowObject = r)
            assertEquals(l && r, onCall { (a and b).hasObjectPermission(it, Any()) })
            assertEquals(if (l) 1 else 0, b.objectCalls)
        }
    }

    @Test
    fun `or on objects pairs each side's permission with its object permission, as DRF 3_15`() {
        // A allows the object but not the call; B allows the call but not the object: neither side fully allows.
        val a = Counting(false, allowObject = true)
        val b = Counting(true, allowObject = false)
        assertFalse(onCall { (a or b).hasObjectPermission(it, Any()) })
        assertEquals(0, a.objectCalls, "A's object check is skipped once A's permission denies")
        assertEquals(1, b.objectCalls)

        val full = Counting(true, allowObject = true)
        val never = Counting(false)
        assertTrue(onCall { (full or never).hasObjectPermission(it, Any()) })
        assertEquals(0, never.calls, "the right side is not asked once the left fully allows")
    }

    @Test
    fun `a denied combination reports the message and code of the side that denied`() {
        val allow = Counting(true)
        val deny = Counting(false, message = "Only editors.", code = "not_editor")
        val e = assertFailsWith<ApiException> { onCall(alice) { it.checkPermissions(listOf(allow and deny)) } }
        assertEquals(403, e.status.value)
        assertEquals("not_editor", e.code)
        assertEquals("Only editors.", e.message)
        val nested = assertFailsWith<ApiException> { onCall(alice) { it.checkPermissions(listOf(allow and (deny or deny))) } }
        assertEquals("not_editor", nested.code)
    }

    @Test
    fun `checkPermissions stops at the first denial`() {
        val first = Counting(false)
        val second = Counting(true)
        assertFailsWith<ApiException> { onCall(alice) { it.checkPermissions(listOf(first, second)) } }
        assertEquals(0, second.calls)
    }

    @Test
    fun `built-in permissions decide by principal, staff flag and method`() {
        assertTrue(onCall { AllowAny.hasPermission(it) })
        assertFalse(onCall { IsAuthenticated.hasPermission(it) })
        assertTrue(onCall(alice) { IsAuthenticated.hasPermission(it) })
        assertTrue(onCall(io.ktor.server.auth.UserIdPrincipal("bob")) { IsAuthenticated.hasPermission(it) })
        assertFalse(onCall(alice) { IsAdminUser.hasPermission(it) })
        assertTrue(onCall(admin) { IsAdminUser.hasPermission(it) })
        assertTrue(onCall { IsAuthenticatedOrReadOnly.hasPermission(it) })
        assertFalse(onCall(method = HttpMethod.Post) { IsAuthenticatedOrReadOnly.hasPermission(it) })
        assertTrue(onCall(alice, method = HttpMethod.Post) { IsAuthenticatedOrReadOnly.hasPermission(it) })
    }

    @Test
    fun `a lambda permission carries its own message and code`() {
        val header = Permission("Send X-Key.", "missing_key") { it.request.headers["X-Key"] != null }
        val e = assertFailsWith<ApiException> { onCall(alice) { it.checkPermissions(listOf(header)) } }
        assertEquals("missing_key", e.code)
        assertEquals("Send X-Key.", e.message)
    }
}
