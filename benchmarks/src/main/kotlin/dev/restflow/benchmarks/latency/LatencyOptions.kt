package dev.restflow.benchmarks.latency

/** Command-line options of `InvalidationLatencyKt` (`--name=value`). */
internal class LatencyOptions(
    /** Unrecorded rounds of one writer before measuring, per scenario. */
    val warmup: Int,
    /** Recorded rounds of one writer (sequential commits), per scenario. */
    val samples: Int,
    /** Concurrent writers per round in the concurrent part; 0 or 1 skips it. */
    val concurrency: Int,
    /** Recorded samples in the concurrent part (rounds × writers), per scenario. */
    val concurrentSamples: Int,
    /** The outbox relay's poll interval. */
    val relayPollMillis: Long,
    /** The Redis-stream worker's blocking-read timeout and pending-scan period. */
    val streamPollMillis: Long,
    /** Scenario labels to run (all when empty). */
    val only: Set<String>,
) {
    companion object {
        const val USAGE: String = "options: --warmup=300 --samples=2000 --concurrency=4 --concurrent-samples=2000 " +
            "--relay-poll-ms=50 --stream-poll-ms=50 --only=inline,threadpool,coroutine,redis-stream,outbox"

        fun parse(args: Array<String>): LatencyOptions {
            val values = args.associate { arg ->
                require(arg.startsWith("--") && '=' in arg) { "bad argument '$arg'; $USAGE" }
                arg.removePrefix("--").substringBefore('=') to arg.substringAfter('=')
            }
            val known = setOf("warmup", "samples", "concurrency", "concurrent-samples", "relay-poll-ms", "stream-poll-ms", "only")
            val unknown = values.keys - known
            require(unknown.isEmpty()) { "unknown options $unknown; $USAGE" }
            fun int(name: String, default: Int) = values[name]?.toInt() ?: default
            return LatencyOptions(
                warmup = int("warmup", 300),
                samples = int("samples", 2000),
                concurrency = int("concurrency", 4),
                concurrentSamples = int("concurrent-samples", 2000),
                relayPollMillis = values["relay-poll-ms"]?.toLong() ?: 50,
                streamPollMillis = values["stream-poll-ms"]?.toLong() ?: 50,
                only = values["only"]?.split(',')?.map { it.trim() }?.filter { it.isNotEmpty() }?.toSet() ?: emptySet(),
            )
        }
    }
}
