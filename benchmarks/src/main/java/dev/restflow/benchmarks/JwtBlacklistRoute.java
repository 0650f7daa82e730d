package dev.restflow.benchmarks;

import dev.restflow.testing.RedisServerHandle;
import dev.restflow.testing.TestServices;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link JwtRoute} with the token blacklist on a real (embedded) Redis: every Restflow call also asks Redis whether
 * its token was revoked, while the plain {@code jwt} baseline does not (issue 7: at least 0.8x the plain
 * throughput). Feature and baseline run at the same time, two callers each, so both see the same load. Served by
 * Netty over loopback sockets (the in-memory test engine hands every call through one pipeline, which turns the Redis
 * round trip of one side into waiting for the other).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JwtBlacklistRoute {
    /** {@code strict}: every call asks Redis; {@code near}: {@code restflow.jwt.blacklist-near-cache = true}. */
    @Param({"strict", "near"})
    public String blacklist;

    private RedisServerHandle redis;
    private JwtApp app;
    private Map<String, String> headers;

    @Setup(Level.Trial)
    public void setUp() {
        redis = TestServices.newRedisServer();
        app = new JwtApp(redis.getUri(), true, blacklist.equals("near"));
        headers = app.getHeaders();
        app.checkAnswers();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        app.close();
        redis.stop();
    }

    /** Restflow's provider with the Redis blacklist lookup. */
    @Benchmark
    @Group("paired")
    @GroupThreads(2)
    public String paired_restflowJwtWithBlacklist() {
        return app.getServer().get("/rf/me", headers);
    }

    /** Ktor's plain jwt provider, no blacklist. */
    @Benchmark
    @Group("paired")
    @GroupThreads(2)
    public String paired_plainJwt() {
        return app.getServer().get("/plain/me", headers);
    }
}
