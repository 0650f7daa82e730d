package dev.restflow.sample

import dev.restflow.sample.database.ShopDatabase
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.HttpStatusCode
import io.ktor.http.contentType
import io.ktor.server.testing.testApplication
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import kotlin.test.assertEquals

class HealthTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `health answers ok as JSON`() {
        val config = SampleConfig.fromEnvironment(emptyMap(), dir)
        ShopDatabase.open(config).use { database ->
            testApplication {
                application { shopModule(config, database) }

                val response = client.get("/health")

                assertEquals(HttpStatusCode.OK, response.status)
                assertEquals(ContentType.Application.Json, response.contentType()?.withoutParameters())
                assertEquals("""{"status":"ok"}""", response.bodyAsText())

                // Restflow is installed: its settings carry the sample's rates and errors use the envelope
                val missing = client.get("/no-such-route")
                assertEquals(HttpStatusCode.NotFound, missing.status)
                assertEquals("""{"error":{"code":"not_found","message":"Not found.","details":{}}}""", missing.bodyAsText())
            }
        }
    }
}
