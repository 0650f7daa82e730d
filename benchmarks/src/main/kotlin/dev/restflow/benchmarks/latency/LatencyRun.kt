package dev.restflow.benchmarks.latency

import dev.restflow.benchmarks.CacheApp
import dev.restflow.cache.CacheEntryKey
import dev.restflow.cache.CacheRead
import dev.restflow.cache.CacheUnavailableException
import kotlinx.coroutines.runBlocking
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import org.jetbrains.exposed.v1.jdbc.update
import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutorService
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.LockSupport
import kotlin.time.Duration.Companion.hours

/**
 * Runs rounds of one [LatencyScenario]. A round, with `width` writers:
 * 1. puts a fresh entry in the cache for each writer's row partition (and checks it is a hit);
 * 2. arms the [EvictionClock] on those partitions;
 * 3. pauses a random time below [LatencyScenario.thinkMillis] (durable dispatchers only), then each writer commits an update of its own row (all at once when `width` > 1);
 * 4. waits for the dispatcher's acknowledgement ([LatencyScenario.awaitAcknowledged]);
 * 5. reads every entry: a hit now is a **stale read after acknowledgement**;
 * 6. waits up to [LOST_AFTER_MILLIS] for each eviction: none (neither a completed nor a failed delete) is a
 *    **lost invalidation**; a failed delete is counted apart ([failedDeletes]) and gives no sample;
 * 7. records `evictedAt − committedAt` per row, where `committedAt` is the after-commit instant ([committedAt]).
 */
internal class LatencyRun(private val env: LatencyEnv, private val scenario: LatencyScenario, private val writers: ExecutorService) {
    private var commits = 0L
    private var nextRow = 0
    private val samples = ArrayList<Long>()

    /** Reads after acknowledgement (all rounds, warm-up included). */
    var reads: Int = 0
        private set

    /** Reads after acknowledgement that hit the entry the commit made stale. */
    var staleReads: Int = 0
        private set

    /** Committed changes whose partition was never evicted. */
    var lost: Int = 0
        private set

    /**
     * Invalidations whose delete threw (e.g. the Redis command timed out) and that the dispatcher acknowledged all
     * the same; the Redis backend replays them from memory before its next read, so they are not lost in this process.
     */
    var failedDeletes: Int = 0
        private set

    /** Harness cache calls retried after a backend failure (not part of any measurement). */
    var harnessRetries: Int = 0
        private set

    /** Acknowledgements that did not come within the timeout. */
    var ackTimeouts: Int = 0
        private set

    /** Recorded samples evicted before the committing `transaction { }` call returned. */
    var evictedBeforeReturn: Int = 0
        private set

    /** Recorded samples evicted before the after-commit instant (would be a bug: eviction before commit). */
    var evictedBeforeCommit: Int = 0
        private set

    /** Runs [rounds] rounds of [width] concurrent writers; records their latencies when [record]. */
    fun rounds(rounds: Int, width: Int, record: Boolean) {
        repeat(rounds) { round(width, record) }
    }

    /** Continues this run's commit count (the scenario's acknowledgement counters are cumulative) and rows in [next]. */
    fun handOverTo(next: LatencyRun) {
        next.commits = commits
        next.nextRow = nextRow
    }

    /** The recorded latencies, nanoseconds. */
    fun summary(): LatencySummary = LatencySummary(samples.toLongArray())

    private fun round(width: Int, record: Boolean) {
        val rows = IntArray(width) { nextRow++ % ROWS + 1 }
        val keys = rows.map { CacheEntryKey.of(env.namespace, "${env.namespace}::row::$it", "$it") }
        runBlocking {
            for (key in keys) {
                retrying { env.cache.set(key, CacheApp.BODY, 1.hours) }
                check(retrying { env.cache.get(key) } is CacheRead.Hit) { "the entry $key was not stored" }
            }
        }
        val probes = rows.map { env.cache.arm(env.namespace, "$it") }
        if (scenario.thinkMillis > 0) LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(scenario.thinkMillis * 1_000_000))
        val stamps: List<LongArray> = if (width == 1) {
            listOf(commit(rows[0]))
        } else {
            val go = CountDownLatch(1)
            val futures = rows.map { row -> writers.submit(Callable { go.await(); commit(row) }) }
            go.countDown()
            futures.map { it.get() }
        }
        commits += width
        if (!scenario.awaitAcknowledged(commits)) ackTimeouts++
        val afterAck = runBlocking { keys.map { key -> retrying { env.cache.get(key) } } }
        reads += afterAck.size
        staleReads += afterAck.count { it is CacheRead.Hit }
        for (i in rows.indices) {
            if (!probes[i].await(LOST_AFTER_MILLIS)) {
                lost++
                continue
            }
            if (probes[i].failed) {
                failedDeletes++
                continue
            }
            if (!record) continue
            val (committedAt, returnedAt) = stamps[i].let { it[0] to it[1] }
            val evictedAt = probes[i].evictedAt
            samples += evictedAt - committedAt
            if (evictedAt <= returnedAt) evictedBeforeReturn++
            if (evictedAt < committedAt) evictedBeforeCommit++
        }
    }

    /**
     * The harness's own cache calls (populating, reading back) are retried when the backend is unavailable: on a
     * loaded machine a command can time out, and a read that fails is not a stale read.
     */
    private suspend fun <T> retrying(call: suspend () -> T): T {
        var attempt = 0
        while (true) {
            try {
                return call()
            } catch (e: CacheUnavailableException) {
                if (++attempt >= 10) throw e
                harnessRetries++
            }
        }
    }

    /** Commits an update of [row]; returns the after-commit instant and the instant the call returned. */
    private fun commit(row: Int): LongArray {
        committedAt.set(NOT_COMMITTED)
        transaction(env.db) { LatencyRows.update({ LatencyRows.id eq row }) { it[version] = versions.incrementAndGet() } }
        val returnedAt = System.nanoTime()
        val at = committedAt.get()
        check(at != NOT_COMMITTED) { "the after-commit listener did not run for row $row" }
        return longArrayOf(at, returnedAt)
    }

    companion object {
        /** Rows in [LatencyRows]; consecutive samples use different rows. */
        const val ROWS: Int = 256

        /** How long after the acknowledgement an eviction may still come before it counts as lost. */
        const val LOST_AFTER_MILLIS: Long = 10_000

        private const val NOT_COMMITTED = Long.MIN_VALUE
        private val versions = AtomicInteger()

        /**
         * The after-commit instant of the calling thread's latest commit: `System.nanoTime()` taken by the first
         * `ChangeFeed` listener (subscribed before any registry), which Exposed calls right after the JDBC commit
         * returned, on the committing thread, before the registry's own listener.
         */
        val committedAt: ThreadLocal<Long> = ThreadLocal.withInitial { NOT_COMMITTED }
    }
}
