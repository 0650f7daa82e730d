package dev.restflow.ktor.test

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import java.util.concurrent.atomic.AtomicReference

/**
 * A clock that stands still until a test moves it: [advance] and [set]. Give it to
 * `install(Restflow) { clock = testClock }` (or let `restflowTestApplication` do it) and JWT expiry and leeway, cache
 * and blacklist TTLs, response-cache freshness and throttle windows follow it, so such tests never sleep.
 *
 * Thread-safe: request threads read it while the test moves it. Clocks derived with [withZone] share the instant.
 */
public class TestClock private constructor(
    private val now: AtomicReference<Instant>,
    private val zone: ZoneId,
) : Clock() {
    /** A clock at [start] (default `2026-01-01T00:00:00Z`) in UTC. */
    @JvmOverloads
    public constructor(start: Instant = DEFAULT_START) : this(AtomicReference(start), ZoneOffset.UTC)

    /** Moves the clock forward by [duration] (which must not be negative) and returns the new instant. */
    public fun advance(duration: Duration): Instant {
        require(!duration.isNegative) { "A test clock only moves forward; use set() to go back, got $duration" }
        return now.updateAndGet { it.plus(duration) }
    }

    /** Kotlin: moves the clock forward by [duration]. */
    @JvmSynthetic
    public fun advance(duration: kotlin.time.Duration): Instant = advance(Duration.ofNanos(duration.inWholeNanoseconds))

    /** Sets the clock to [instant] (backwards too, to test clock skew). */
    public fun set(instant: Instant) {
        now.set(instant)
    }

    override fun instant(): Instant = now.get()

    override fun getZone(): ZoneId = zone

    override fun withZone(zone: ZoneId): Clock = TestClock(now, zone)

    override fun toString(): String = "TestClock(${now.get()})"

    public companion object {
        /** Where a clock created without a start stands: `2026-01-01T00:00:00Z`. */
        @JvmField
        public val DEFAULT_START: Instant = Instant.parse("2026-01-01T00:00:00Z")
    }
}
