package dev.restflow.benchmarks.export

import dev.restflow.testing.PostgresDatabase
import dev.restflow.testing.TestServices
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.long
import kotlinx.serialization.json.jsonPrimitive
import java.io.File
import java.lang.management.ManagementFactory
import java.util.Locale
import kotlin.concurrent.thread

/**
 * Streaming-export load test (issue 8): `/api/products/export.ndjson` of the real sample shop, served on Netty by a
 * child JVM at `-Xmx64m`, streaming 100,000 and 1,000,000 products from an embedded PostgreSQL, against a
 * hand-written JDBC cursor loop ([jdbcExportRoute]) in the same server. Prints peak heap per size (goal: the
 * 1M − 100k difference < 8 MB) and throughput (goal: ≥ 0.8× the JDBC loop). See benchmarks/README.md.
 *
 * Options: `--rows=N` (1000000), `--small=N` (100000), `--reps=N` (5 timed exports per route and size),
 * `--forced-gc-ms=N` (200), `--no-control` (skip the fetch-size-0 control), `--jfr` (children record a JFR file in
 * the working directory), `--only=memory|throughput`.
 */
public object ExportBench {
    private const val RESTFLOW = "/api/products/export.ndjson"
    private const val JDBC = "/bench/jdbc/export.ndjson"
    private const val MIB = 1024.0 * 1024.0

    private class Options(args: Array<String>) {
        private val map = args.associate { arg ->
            val (k, v) = if ('=' in arg) arg.substringBefore('=') to arg.substringAfter('=') else arg to "true"
            k.removePrefix("--") to v
        }
        val rows = map["rows"]?.toInt() ?: 1_000_000
        val small = map["small"]?.toInt() ?: 100_000
        val reps = map["reps"]?.toInt() ?: 5
        val forcedGcMs = map["forced-gc-ms"]?.toLong() ?: 200
        val control = map["no-control"] == null
        val jfr = map["jfr"] != null
        val only = map["only"]
    }

    private class MemoryRow(val rows: Int, val route: String, val natural: JsonObject, val forced: JsonObject)

    @JvmStatic
    public fun main(args: Array<String>) {
        val options = Options(args)
        println("Streaming export benchmark: ${options.small} vs ${options.rows} rows, server at -Xmx64m")
        println("Machine: ${Runtime.getRuntime().availableProcessors()} cores, load average ${loadAverage()}, " +
            "JDK ${System.getProperty("java.version")}")

        val databases = listOf(options.small, options.rows).associateWith { rows ->
            val db = TestServices.newPostgresDatabase()
            val started = System.nanoTime()
            ExportData.load(db, rows)
            println("Loaded %,d products into %s in %.1f s".format(rows, db.jdbcUrl, (System.nanoTime() - started) / 1e9))
            db
        }

        val memory = mutableListOf<MemoryRow>()
        val throughput = mutableMapOf<Int, Pair<List<ExportRead>, List<ExportRead>>>()
        var sqlSeen: Set<String> = emptySet()
        var control: String? = null

        if (options.only == null || options.only == "memory") {
            for ((rows, db) in databases) {
                println("\n== Memory, $rows rows (fresh server)")
                ChildServer(db, serverOptions(options, "memory-$rows")).use { child ->
                    val client = ExportClient(child.port)
                    println("server: ${client.get("/bench/jvm")}")
                    var watched: Set<String> = emptySet()
                    for (route in listOf(RESTFLOW, JDBC)) {
                        val warm = if (route == RESTFLOW && rows == options.rows) {
                            val (read, statements) = watchingStatements(db) { client.export(route) }
                            watched = statements
                            read
                        } else {
                            client.export(route)
                        }
                        verify(warm, rows, route)
                        client.post("/bench/heap/start?forced_gc_ms=0")
                        verify(client.export(route), rows, route)
                        val natural = Json.parseToJsonElement(client.post("/bench/heap/stop")) as JsonObject
                        client.post("/bench/heap/start?forced_gc_ms=${options.forcedGcMs}")
                        verify(client.export(route), rows, route)
                        val forced = Json.parseToJsonElement(client.post("/bench/heap/stop")) as JsonObject
                        println("$route: natural $natural\n$route: forced $forced")
                        memory += MemoryRow(rows, route, natural, forced)
                    }
                    if (rows == options.rows) sqlSeen = watched
                }
            }
        }

        if (options.only == null || options.only == "throughput") {
            for ((rows, db) in databases) {
                println("\n== Throughput, $rows rows (fresh server, ${options.reps} alternating runs per route after one warm-up each)")
                ChildServer(db, serverOptions(options, "throughput-$rows")).use { child ->
                    val client = ExportClient(child.port)
                    val restflowWarm = client.export(RESTFLOW).also { verify(it, rows, RESTFLOW) }
                    val jdbcWarm = client.export(JDBC).also { verify(it, rows, JDBC) }
                    compareBodies(restflowWarm, jdbcWarm)
                    val restflow = mutableListOf<ExportRead>()
                    val jdbc = mutableListOf<ExportRead>()
                    repeat(options.reps) { i ->
                        // Alternate which side goes first, so a drift in machine load hits both alike.
                        val order = if (i % 2 == 0) listOf(RESTFLOW, JDBC) else listOf(JDBC, RESTFLOW)
                        for (route in order) {
                            val read = client.export(route).also { verify(it, rows, route) }
                            (if (route == RESTFLOW) restflow else jdbc) += read
                            println("  %-28s %6.2f s  %,10.0f rows/s  %6.1f MB/s  (load %s)".format(
                                route, read.seconds, read.rowsPerSecond, read.megabytesPerSecond, loadAverage()))
                        }
                    }
                    restflow.forEach { compareBodies(it, jdbcWarm) }
                    jdbc.forEach { compareBodies(it, jdbcWarm) }
                    throughput[rows] = restflow to jdbc
                }
            }
        }

        if (options.control && options.only == null) {
            println("\n== Control: the JDBC loop without a fetch size (whole result in memory), ${options.rows} rows")
            val db = databases.getValue(options.rows)
            ChildServer(db, serverOptions(options, null) + "-XX:+ExitOnOutOfMemoryError").use { child ->
                val client = ExportClient(child.port)
                val outcome = try {
                    val read = client.export("$JDBC?fetch_size=0")
                    "status ${read.status}, %,d of %,d lines received, %s".format(
                        read.lines, options.rows, read.failure ?: "body ended normally")
                } catch (e: java.io.IOException) {
                    "no response ($e)"
                }
                child.close()
                val oom = "OutOfMemoryError" in child.output.toString()
                control = "$outcome; OutOfMemoryError in the server: ${if (oom) "yes" else "no"}"
                println(control)
            }
        }

        report(options, memory, throughput, sqlSeen, control)
    }

    private fun serverOptions(options: Options, jfrName: String?): List<String> {
        val base = listOf("-Xmx64m", "-XX:+UseG1GC")
        return if (options.jfr && jfrName != null) {
            base + "-XX:StartFlightRecording=filename=export-$jfrName.jfr,settings=profile"
        } else {
            base
        }
    }

    private fun verify(read: ExportRead, rows: Int, route: String) {
        check(read.failure == null) { "$route: the body was cut: ${read.failure}" }
        check(read.status == 200) { "$route answered ${read.status}" }
        check(read.contentType?.startsWith("application/x-ndjson") == true) { "$route: content type ${read.contentType}" }
        check(read.lines == rows.toLong()) { "$route: ${read.lines} lines instead of $rows; last: ${read.lastLine}" }
        check(!read.lastLine.startsWith("{\"error\"")) { "$route ended with an error record: ${read.lastLine}" }
    }

    /** The two sides must send the same bytes: first line, line and byte counts, checksum of the whole body. */
    private fun compareBodies(restflow: ExportRead, jdbc: ExportRead) {
        check(restflow.firstLine == jdbc.firstLine) { "first lines differ:\n  restflow ${restflow.firstLine}\n  jdbc     ${jdbc.firstLine}" }
        check(restflow.lines == jdbc.lines && restflow.bytes == jdbc.bytes && restflow.crc == jdbc.crc) {
            "bodies differ: restflow ${restflow.lines} lines ${restflow.bytes} B crc ${restflow.crc}, " +
                "jdbc ${jdbc.lines} lines ${jdbc.bytes} B crc ${jdbc.crc}"
        }
    }

    /** Runs [block] while polling `pg_stat_activity` of [db] for the export's statement; returns what was seen. */
    private fun <T> watchingStatements(db: PostgresDatabase, block: () -> T): Pair<T, Set<String>> {
        val seen = java.util.concurrent.ConcurrentHashMap.newKeySet<String>()
        val running = java.util.concurrent.atomic.AtomicBoolean(true)
        val watcher = thread(name = "pg-activity-watch") {
            db.connect().use { c ->
                c.prepareStatement(
                    "SELECT state, query FROM pg_stat_activity WHERE datname = current_database() " +
                        "AND pid <> pg_backend_pid() AND query ILIKE '%FROM products%'",
                ).use { ps ->
                    while (running.get()) {
                        ps.executeQuery().use { rs -> while (rs.next()) seen += "${rs.getString(1)} | ${rs.getString(2)}" }
                        Thread.sleep(20)
                    }
                }
            }
        }
        try {
            return block() to seen.toSet()
        } finally {
            running.set(false)
            watcher.join()
        }
    }

    private fun report(
        options: Options,
        memory: List<MemoryRow>,
        throughput: Map<Int, Pair<List<ExportRead>, List<ExportRead>>>,
        sqlSeen: Set<String>,
        control: String?,
    ) {
        val out = StringBuilder()
        fun line(s: String = "") = out.append(s).append('\n')
        line("\n==================== Streaming export at -Xmx64m (issue 8) ====================")
        line("Machine: ${Runtime.getRuntime().availableProcessors()} cores, load average at the end ${loadAverage()}, " +
            "JDK ${System.getProperty("java.version")}, server: -Xmx64m -XX:+UseG1GC")
        if (memory.isNotEmpty()) {
            line()
            line("Peak heap of the server per export, MiB (one fresh server per size; each route exported once to warm up, then measured twice)")
            line("  live peak    = largest heap after a forced full GC, one every ${options.forcedGcMs} ms during the export (the live set)")
            line("  post-GC peak = largest heap after the JVM's own collections, no forced GC (live set + garbage those left)")
            line("  used peak    = largest heap in use sampled every 2 ms, garbage included (same run as post-GC peak)")
            line("%-10s %-28s %12s %10s %13s %10s %6s".format("rows", "route", "live before", "live peak", "post-GC peak", "used peak", "GCs"))
            for (m in memory) {
                line("%-10s %-28s %12.1f %10s %13s %10.1f %6d".format(
                    "%,d".format(m.rows), m.route, m.forced.mib("live_before"),
                    if (m.forced.num("forced_gcs") > 0) "%.1f".format(m.forced.mib("live_peak")) else "n/a",
                    if (m.natural.num("natural_gcs") > 0) "%.1f".format(m.natural.mib("post_gc_peak")) else "n/a (no GC)",
                    m.natural.mib("used_peak"), m.natural.num("natural_gcs")))
            }
            for (route in listOf(RESTFLOW, JDBC)) {
                val small = memory.firstOrNull { it.route == route && it.rows == options.small } ?: continue
                val large = memory.firstOrNull { it.route == route && it.rows == options.rows } ?: continue
                val live = large.forced.mib("live_peak") - small.forced.mib("live_peak")
                val postGc = large.natural.mib("post_gc_peak") - small.natural.mib("post_gc_peak")
                val used = large.natural.mib("used_peak") - small.natural.mib("used_peak")
                line("%s: %,d − %,d rows: live peak %+.1f MiB, post-GC peak %+.1f MiB, used peak %+.1f MiB%s".format(
                    route, options.rows, options.small, live, postGc, used,
                    if (route == RESTFLOW) "  → goal < 8 MB: " + if (maxOf(live, postGc) < 8.0 * 1e6 / MIB) "MET" else "MISSED" else ""))
            }
        }
        if (sqlSeen.isNotEmpty()) {
            line()
            line("Statement of the sample's export in pg_stat_activity during a ${"%,d".format(options.rows)}-row export:")
            sqlSeen.forEach { line("  $it") }
            line("  same SQL as the JDBC baseline: " + if (sqlSeen.all { it.substringAfter(" | ") == EXPORT_SQL }) "yes" else "NO")
        }
        if (throughput.isNotEmpty()) {
            line()
            line("Throughput (client: JDK HttpClient on the same machine reading the whole body; ${options.reps} runs per route, alternating; medians)")
            line("%-10s %-28s %9s %12s %8s   %s".format("rows", "route", "median s", "rows/s", "MB/s", "all runs, s"))
            for ((rows, pair) in throughput.toSortedMap()) {
                val (restflow, jdbc) = pair
                for ((route, reads) in listOf(RESTFLOW to restflow, JDBC to jdbc)) {
                    val s = median(reads.map { it.seconds })
                    line("%-10s %-28s %9.2f %,12.0f %8.1f   %s".format("%,d".format(rows), route, s, rows / s,
                        reads.first().bytes / 1e6 / s, reads.joinToString(" ") { "%.2f".format(it.seconds) }))
                }
                val ratio = median(jdbc.map { it.seconds }) / median(restflow.map { it.seconds })
                val pairs = restflow.zip(jdbc).map { (r, j) -> j.seconds / r.seconds }
                line("%-10s Restflow / JDBC throughput: %.2f× (per run pair %s)  → goal ≥ 0.8×: %s".format(
                    "%,d".format(rows), ratio, pairs.joinToString(" ") { "%.2f".format(it) }, if (ratio >= 0.8) "MET" else "MISSED"))
            }
            line("Bodies: both routes sent byte-identical NDJSON (same line count, byte count and CRC-32 on every run).")
        }
        if (control != null) {
            line()
            line("Control, JDBC loop with fetch size 0 (the driver buffers the whole result) at -Xmx64m: $control")
        }
        print(out)
        File("export-bench-result.txt").writeText(out.toString())
    }

    private fun JsonObject.num(key: String): Long = getValue(key).jsonPrimitive.long
    private fun JsonObject.mib(key: String): Double = num(key) / MIB

    private fun median(values: List<Double>): Double = values.sorted().let { s ->
        if (s.size % 2 == 1) s[s.size / 2] else (s[s.size / 2 - 1] + s[s.size / 2]) / 2
    }

    private fun loadAverage(): String = runCatching {
        File("/proc/loadavg").readText().split(' ').take(3).joinToString(" ")
    }.getOrElse { "%.2f".format(Locale.ROOT, ManagementFactory.getOperatingSystemMXBean().systemLoadAverage) }
}
