package dev.restflow.benchmarks;

import dev.restflow.testing.RedisServerHandle;
import dev.restflow.testing.TestServices;
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
 * A response-cached endpoint hit served from the two-tier backend's in-process L1 (Redis behind it, embedded)
 * against a route answering the same bytes from memory, both on Ktor Netty over loopback sockets (issue 5).
 * {@code paired} runs both at once, two callers each; the sequential pair gives the allocation per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TwoTierHit {
    private RedisServerHandle redis;
    private CacheApp app;

    @Setup(Level.Trial)
    public void setUp() {
        redis = TestServices.newRedisServer();
        app = new CacheApp(redis.getUri(), java.time.Duration.ofHours(1));
        app.checkAnswers("/cached", "/constant");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        app.close();
        redis.stop();
    }

    /** The response cache hit, alone. */
    @Benchmark
    @Threads(4)
    public byte[] cachedHit() {
        return app.get("/cached");
    }

    /** The same bytes from memory, alone. */
    @Benchmark
    @Threads(4)
    public byte[] constant() {
        return app.get("/constant");
    }

    /** The response cache hit, paired. */
    @Benchmark
    @Group("paired")
    @GroupThreads(2)
    public byte[] paired_cachedHit() {
        return app.get("/cached");
    }

    /** The same bytes from memory, paired. */
    @Benchmark
    @Group("paired")
    @GroupThreads(2)
    public byte[] paired_constant() {
        return app.get("/constant");
    }
}
