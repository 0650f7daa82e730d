package dev.restflow.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A GET route behind the {@code Throttles} plugin (an anonymous throttle at 1,000,000/s on the in-memory store, so
 * it never refuses; a refusal would fail the benchmark) against the same route without it, served in-process by
 * Ktor's test engine in the same run (issue 7).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ThrottledRoute {
    private BenchServer server;

    @Setup(Level.Trial)
    public void setUp() {
        server = ThrottleApp.server();
        server.get("/throttled");
        server.get("/plain");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }

    @Benchmark
    @Threads(4)
    public String throttled() {
        return server.get("/throttled");
    }

    @Benchmark
    @Threads(4)
    public String unthrottled() {
        return server.get("/plain");
    }

    /** throttled and unthrottled served at the same time (two callers each), so both see the same machine load. */
    @Benchmark
    @Group("paired")
    @GroupThreads(2)
    public String paired_throttled() {
        return server.get("/throttled");
    }

    /** The baseline half of the paired group. */
    @Benchmark
    @Group("paired")
    @GroupThreads(2)
    public String paired_unthrottled() {
        return server.get("/plain");
    }
}
