package dev.restflow.cache

import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import java.util.concurrent.atomic.AtomicLong
import kotlin.time.Duration

/** A clock that only moves when a test says so. */
class ManualClock(startMillis: Long = 1_700_000_000_000) : Clock() {
    private val millis = AtomicLong(startMillis)

    fun advance(by: Duration) {
        millis.addAndGet(by.inWholeMilliseconds)
    }

    override fun millis(): Long = millis.get()
    override fun instant(): Instant = Instant.ofEpochMilli(millis.get())
    override fun getZone(): ZoneId = ZoneOffset.UTC
    override fun withZone(zone: ZoneId?): Clock = this
}
