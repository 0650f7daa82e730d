package dev.restflow.ktor.auth

import kotlinx.coroutines.runBlocking
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull

class UserStoreFacadeTest {
    @Test
    fun `a store built from Java futures answers suspend lookups`(): Unit = runBlocking {
        val store = UserStoreJavaTest.javaStore()
        assertEquals("dora", store.findById("7")?.username)
        assertEquals("7", store.findByUsername("dora")?.id)
        assertNull(store.findById("8"))
        assertNull(store.findByUsername("nobody"))
    }
}
