package dev.restflow.exposed.outbox

import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import java.util.concurrent.atomic.AtomicLong

/** A clock tests move by hand; it starts an hour ahead of the wall clock so rows enqueued now are already due. */
class TestClock(start: Long = System.currentTimeMillis() + 3_600_000) : Clock() {
    private val now = AtomicLong(start)

    fun advance(millis: Long) {
        now.addAndGet(millis)
    }

    override fun millis(): Long = now.get()
    override fun instant(): Instant = Instant.ofEpochMilli(now.get())
    override fun getZone(): ZoneId = ZoneOffset.UTC
    override fun withZone(zone: ZoneId): Clock = this
}
