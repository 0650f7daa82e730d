package dev.restflow.ktor.throttle

import dev.restflow.ktor.settings.ThrottleRate
import dev.restflow.testing.TestServices
import kotlinx.coroutines.runBlocking
import java.time.Duration
import java.util.UUID
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** One behaviour for every throttle store: exact at N and N+1, the same waits, keys and rates kept apart. */
internal abstract class ThrottleStoreContract {
    protected val clock = ManualClock()
    private val store: ThrottleStore by lazy { newStore() }
    private val prefix = UUID.randomUUID().toString().take(8)

    abstract fun newStore(): ThrottleStore

    @AfterTest
    fun close() = store.close()

    private fun acquire(key: String, rate: String): ThrottleDecision = runBlocking { store.acquire("$prefix:$key", ThrottleRate.parse(rate)) }

    @Test
    fun `N calls in a burst are allowed and the N+1th waits one emission interval`() {
        repeat(4) { assertTrue(acquire("k", "4/min").allowed, "call ${it + 1}") }
        val refused = acquire("k", "4/min")
        assertEquals(false, refused.allowed)
        assertEquals(Duration.ofSeconds(15), refused.waitTime)
        assertEquals(15, refused.retryAfterSeconds)
    }

    @Test
    fun `a refused call is not counted and the wait shrinks as time passes`() {
        repeat(2) { acquire("k", "2/hour") }
        assertEquals(Duration.ofMinutes(30), acquire("k", "2/hour").waitTime)
        clock.advance(Duration.ofMinutes(10))
        assertEquals(Duration.ofMinutes(20), acquire("k", "2/hour").waitTime)
        clock.advance(Duration.ofMinutes(20))
        assertTrue(acquire("k", "2/hour").allowed, "one interval later one call fits")
        assertEquals(false, acquire("k", "2/hour").allowed)
    }

    @Test
    fun `after a full period the whole burst is available again`() {
        repeat(3) { acquire("k", "3/s") }
        assertEquals(false, acquire("k", "3/s").allowed)
        clock.advance(Duration.ofSeconds(1))
        repeat(3) { assertTrue(acquire("k", "3/s").allowed) }
        assertEquals(false, acquire("k", "3/s").allowed)
    }

    @Test
    fun `keys are counted apart`() {
        assertTrue(acquire("a", "1/day").allowed)
        assertEquals(false, acquire("a", "1/day").allowed)
        assertTrue(acquire("b", "1/day").allowed)
        assertEquals(Duration.ofDays(1), acquire("a", "1/day").waitTime)
    }
}

internal class LocalThrottleStoreTest : ThrottleStoreContract() {
    override fun newStore(): ThrottleStore = LocalThrottleStore(clock)
}

internal class RedisThrottleStoreTest : ThrottleStoreContract() {
    override fun newStore(): ThrottleStore =
        RedisThrottleStore(TestServices.redisUri(), Duration.ofSeconds(2), clock, LocalThrottleStore(clock)).also { redis = it }

    private lateinit var redis: RedisThrottleStore

    @AfterTest
    fun `no call fell back to the local limiter`() {
        if (::redis.isInitialized) assertEquals(0, redis.fallbacks.get(), "Redis answered every call")
    }
}
