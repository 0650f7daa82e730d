package dev.restflow.benchmarks

import com.zaxxer.hikari.HikariConfig
import com.zaxxer.hikari.HikariDataSource
import dev.restflow.benchmarks.latency.EvictionClock
import dev.restflow.benchmarks.latency.LatencyEnv
import dev.restflow.benchmarks.latency.LatencyOptions
import dev.restflow.benchmarks.latency.LatencyRows
import dev.restflow.benchmarks.latency.LatencyRun
import dev.restflow.benchmarks.latency.LatencyScenario
import dev.restflow.benchmarks.latency.LatencySummary
import dev.restflow.benchmarks.latency.LatencySummary.Companion.ms
import dev.restflow.cache.memory.InMemoryCacheBackend
import dev.restflow.cache.redis.RedisCacheBackend
import dev.restflow.exposed.change.ChangeFeed
import dev.restflow.testing.TestServices
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.SchemaUtils
import org.jetbrains.exposed.v1.jdbc.batchInsert
import org.jetbrains.exposed.v1.jdbc.transactions.transaction
import kotlinx.coroutines.runBlocking
import java.io.File
import java.time.Instant
import java.util.UUID
import java.util.concurrent.Executors
import kotlin.system.exitProcess

/**
 * Issue 6's invalidation benchmark: commit-to-miss latency per dispatcher, in one run, over an embedded PostgreSQL
 * (HikariCP pool of 8) and an embedded Redis (`RedisCacheBackend`; `inline` also on the in-memory backend).
 *
 * **Commit-to-miss** is `evictedAt − committedAt`: `committedAt` is the after-commit instant, `System.nanoTime()` in
 * the first `ChangeFeed` listener, which Exposed calls on the committing thread right after the JDBC commit returned
 * (before the registry's listener runs); `evictedAt` is when the cache backend answered the `deletePartition` of
 * the row's partition ([EvictionClock]), from then on every read misses. For `inline` the eviction happens before
 * the `transaction { }` call returns, so "from the moment the call returned" would be negative.
 *
 * Correctness: after each round the dispatcher's acknowledgement is awaited (see [LatencyScenario]) and the entry
 * is read back: a hit is a stale read; an eviction that never comes is a lost invalidation. Both must be 0.
 *
 * Run: `java -cp benchmarks/target/benchmarks.jar dev.restflow.benchmarks.InvalidationLatencyKt [options]`
 * (see [LatencyOptions.USAGE]). Exits with 2 when a stale read or lost invalidation was seen.
 */
public fun main(args: Array<String>) {
    val options = try {
        LatencyOptions.parse(args)
    } catch (e: IllegalArgumentException) {
        System.err.println(e.message)
        exitProcess(64)
    }
    val started = Instant.now()
    val loadAtStart = loadAverage()
    println("Invalidation commit-to-miss latency (issue 6) — $started")
    println("JDK ${System.getProperty("java.version")}, ${Runtime.getRuntime().availableProcessors()} cores, load average $loadAtStart")

    val pg = TestServices.newPostgresDatabase()
    val dataSource = HikariDataSource(HikariConfig().apply {
        jdbcUrl = pg.jdbcUrl
        username = pg.user
        password = pg.password
        maximumPoolSize = 8
    })
    val db = Database.connect(dataSource)
    transaction(db) {
        SchemaUtils.create(LatencyRows)
        LatencyRows.batchInsert(1..LatencyRun.ROWS) { n -> this[LatencyRows.id] = n; this[LatencyRows.version] = 0 }
    }
    // Subscribed before any registry: the first listener after each commit, so it stamps the after-commit instant.
    ChangeFeed.subscribe(db) { _, changes ->
        if (changes.any { it.table == LatencyRows }) LatencyRun.committedAt.set(System.nanoTime())
    }
    val redisUri = TestServices.redisUri()
    // A generous command timeout: a stall on this shared box then shows as a slow sample, not as a failed delete
    // that gives no sample (the default is 50 ms).
    val redis = EvictionClock(RedisCacheBackend.builder(redisUri).commandTimeout(java.time.Duration.ofSeconds(1)).build())
    val memory = EvictionClock(InMemoryCacheBackend.create())

    val plan: List<Pair<EvictionClock, LatencyScenario>> = listOf(
        memory to LatencyScenario.Inline(),
        redis to LatencyScenario.Inline(),
        redis to LatencyScenario.ThreadPool(),
        redis to LatencyScenario.Coroutines(),
        redis to LatencyScenario.RedisStream(options.streamPollMillis),
        redis to LatencyScenario.Outboxed(options.relayPollMillis, wakeOnCommit = false),
        redis to LatencyScenario.Outboxed(options.relayPollMillis, wakeOnCommit = true),
    ).filter { (_, s) -> options.only.isEmpty() || s.dispatcher in options.only || s.label in options.only }

    println("PostgreSQL (embedded, HikariCP pool 8) + Redis ${redisUri} (RedisCacheBackend, command timeout 1 s)")
    println("warm-up ${options.warmup} rounds, ${options.samples} sequential samples, " +
        "${options.concurrentSamples} samples with ${options.concurrency} concurrent writers, per scenario; " +
        "durable dispatchers pause a random 0..poll interval before each commit")
    println()
    val control = controlRoundTrips(redis, options)
    println("Control: runBlocking { RedisCacheBackend.deletePartition } alone (what inline does after the commit, " +
        "without the commit), ${control.count} calls: p50 ${ms(control.percentileMillis(50.0))}, " +
        "p90 ${ms(control.percentileMillis(90.0))}, p99 ${ms(control.percentileMillis(99.0))}, max ${ms(control.maxMillis)} ms")
    println()
    println("Lines as each scenario completes (the whole table follows at the end):")

    val writers = Executors.newFixedThreadPool(maxOf(options.concurrency, 1)) { r -> Thread(r, "latency-writer").apply { isDaemon = true } }
    val lines = ArrayList<String>()
    val notes = ArrayList<String>()
    var broken = false
    for ((cache, scenario) in plan) {
        val backendName = if (cache === memory) "memory" else "redis"
        val meters = SimpleMeterRegistry()
        val env = LatencyEnv(db, cache, backendName, "latency-${scenario.dispatcher}-${UUID.randomUUID().toString().take(8)}", redisUri, meters)
        val t0 = System.nanoTime()
        scenario.start(env)
        try {
            val sequential = LatencyRun(env, scenario, writers)
            sequential.rounds(options.warmup, 1, record = false)
            sequential.rounds(options.samples, 1, record = true)
            lines += line(scenario, backendName, 1, sequential).also(::println)
            val runs = mutableListOf(sequential)
            if (options.concurrency > 1 && options.concurrentSamples > 0) {
                val concurrent = LatencyRun(env, scenario, writers).also { sequential.handOverTo(it) }
                concurrent.rounds(options.concurrentSamples / options.concurrency, options.concurrency, record = true)
                lines += line(scenario, backendName, options.concurrency, concurrent).also(::println)
                runs += concurrent
            }
            val stale = runs.sumOf { it.staleReads }
            val lost = runs.sumOf { it.lost }
            if (stale > 0 || lost > 0) broken = true
            val outboxLeft = (scenario as? LatencyScenario.Outboxed)?.pending()
            notes += "${scenario.label} ($backendName): ${scenario.settings}; acknowledged when ${scenario.acknowledgement}; " +
                "${runs.sumOf { it.reads }} reads after acknowledgement, $stale stale, $lost lost, " +
                "${runs.sumOf { it.failedDeletes }} failed deletes acknowledged anyway (no sample; replayed by the backend before the next read), " +
                "${runs.sumOf { it.ackTimeouts }} acknowledgement timeouts, ${runs.sumOf { it.harnessRetries }} harness cache retries; evicted before the commit call returned: " +
                "${runs.sumOf { it.evictedBeforeReturn }}/${runs.sumOf { it.summary().count }}; " +
                "before the after-commit instant: ${runs.sumOf { it.evictedBeforeCommit }}" +
                (outboxLeft?.let { "; outbox rows not done at the end: $it" } ?: "") +
                "; restflow.invalidation.failures ${meters.find("restflow.invalidation.failures").counters().sumOf { it.count() }.toLong()}" +
                "; ${"%.1f".format((System.nanoTime() - t0) / 1e9)} s"
            println("- " + notes.last())
        } finally {
            scenario.close()
        }
    }
    writers.shutdownNow()

    val header = "| dispatcher | backend | writers | samples | p50 ms | p90 ms | p99 ms | max ms | goal | met |"
    println(header)
    println("|---|---|---|---|---|---|---|---|---|---|")
    lines.forEach(::println)
    println()
    notes.forEach { println("- $it") }
    println("- cache backend: ${redis.failures.get() + memory.failures.get()} failed invalidation calls, " +
        "${redis.namespaceFlushes.get() + memory.namespaceFlushes.get()} namespace flushes")
    println("- load average at start $loadAtStart, at end ${loadAverage()}; took ${java.time.Duration.between(started, Instant.now()).seconds} s")

    redis.close()
    memory.close()
    dataSource.close()
    exitProcess(if (broken) 2 else 0)
}

private fun line(scenario: LatencyScenario, backend: String, writers: Int, run: LatencyRun): String {
    val s = run.summary()
    val p99 = s.percentileMillis(99.0)
    val met = if (p99 <= scenario.goalMillis && run.staleReads == 0 && run.lost == 0) "met" else "**missed**"
    return "| ${scenario.label} | $backend | $writers | ${s.count} | ${ms(s.percentileMillis(50.0))} | " +
        "${ms(s.percentileMillis(90.0))} | ${ms(p99)} | ${ms(s.maxMillis)} | ${scenario.goalText} | $met |"
}

/**
 * The floor of the Redis dispatchers on this machine at this moment: one `deletePartition` round trip from a blocked
 * thread, timed alone ([LatencyOptions.warmup] unrecorded calls, then [LatencyOptions.samples]).
 */
private fun controlRoundTrips(redis: EvictionClock, options: LatencyOptions): LatencySummary {
    val namespace = "latency-control-" + UUID.randomUUID().toString().take(8)
    repeat(options.warmup) { runBlocking { redis.deletePartition(namespace, "$it") } }
    val samples = LongArray(options.samples) {
        val start = System.nanoTime()
        runBlocking { redis.deletePartition(namespace, "$it") }
        System.nanoTime() - start
    }
    return LatencySummary(samples)
}

private fun loadAverage(): String =
    runCatching { File("/proc/loadavg").readText().split(' ').take(3).joinToString(" ") }.getOrDefault("n/a")
