package dev.restflow.sample.seed

import dev.restflow.sample.SampleConfig
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.concurrent.atomic.AtomicInteger

/** [SeedContract] on the default database: an H2 file in PostgreSQL mode, as `SampleConfig` builds it. */
class H2SeedTest : SeedContract() {
    @TempDir
    lateinit var dir: Path

    private val counter = AtomicInteger()

    override fun freshEnvironment(): Map<String, String> =
        mapOf("DATABASE_URL" to SampleConfig.defaultH2Url(dir.resolve("db${counter.incrementAndGet()}")))
}
