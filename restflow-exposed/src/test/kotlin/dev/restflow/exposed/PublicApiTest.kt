package dev.restflow.exposed

import dev.restflow.testing.PublicApiDump
import kotlin.test.Test
import kotlin.test.fail

class PublicApiTest {
    @Test
    fun `public api matches the checked-in dump`() {
        PublicApiDump.check(PublicApiDump.currentModuleDir())?.let { fail(it) }
    }
}
