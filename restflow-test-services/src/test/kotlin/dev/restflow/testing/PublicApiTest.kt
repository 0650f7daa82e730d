package dev.restflow.testing

import kotlin.test.Test
import kotlin.test.fail

class PublicApiTest {
    @Test
    fun `public api matches the checked-in dump`() {
        PublicApiDump.check(PublicApiDump.currentModuleDir())?.let { fail(it) }
    }
}
