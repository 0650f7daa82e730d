package dev.restflow.ktor.cache

import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.memory.InMemoryCacheBackend
import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.cache.twotier.TwoTierCacheBackend
import dev.restflow.ktor.Restflow
import dev.restflow.ktor.restflow
import dev.restflow.ktor.settings.RestflowConfigurationException
import dev.restflow.testing.TestServices
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.server.application.install
import io.ktor.server.config.MapApplicationConfig
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.testing.testApplication
import java.util.UUID
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.minutes

class CacheWiringTest {
    private fun backendType(vararg config: Pair<String, String>): String {
        var type = ""
        testApplication {
            environment { this.config = MapApplicationConfig(*config) }
            application {
                install(Restflow)
                type = restflow.cache::class.simpleName!!
            }
            startApplication()
        }
        return type
    }

    @Test
    fun `the cache is in memory by default`() {
        assertEquals(InMemoryCacheBackend::class.simpleName, backendType())
        assertEquals(InMemoryCacheBackend::class.simpleName, backendType("restflow.cache.url" to "memory://"))
    }

    @Test
    fun `a redis url gives a redis backend shared by instances, and l1-ttl a two-tier one`() {
        val redis = TestServices.redisUri()
        assertEquals(TwoTierCacheBackend::class.simpleName, backendType("restflow.cache.url" to redis, "restflow.cache.l1-ttl" to "5s"))
        val key = CacheEntryKey.of("wiring", UUID.randomUUID().toString())
        testApplication {
            environment { config = MapApplicationConfig("restflow.cache.url" to redis) }
            application {
                install(Restflow)
                assertIs<RedisCacheBackend>(restflow.cache)
                routing {
                    get("/put") {
                        call.application.restflow.cache.set(key, "shared".toByteArray(), 1.minutes)
                        call.respondText("ok")
                    }
                }
            }
            assertEquals("ok", client.get("/put").bodyAsText())
        }
        // a second application on the same Redis reads what the first wrote
        testApplication {
            environment { config = MapApplicationConfig("restflow.cache.url" to redis) }
            application { install(Restflow) }
            routing {
                get("/get") {
                    val read = call.application.restflow.cache.get(key)
                    call.respondText(if (read is CacheRead.Hit) String(read.value) else "miss")
                }
            }
            assertEquals("shared", client.get("/get").bodyAsText())
        }
    }

    @Test
    fun `a bad cache url fails at start-up`() {
        val failure = assertFailsWith<RestflowConfigurationException> {
            testApplication {
                environment { config = MapApplicationConfig("restflow.cache.url" to "memcached://user:secret@host") }
                application { install(Restflow) }
                startApplication()
            }
        }
        val problem = failure.problems.single()
        assertTrue(problem.startsWith("restflow.cache.url: 'memcached://***@host' is not a cache URL"), problem)
    }
}
