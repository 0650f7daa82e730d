package dev.restflow.benchmarks;

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A GET route behind Restflow's {@code restflowJwt} provider (no blacklist) against the same route behind Ktor's
 * plain {@code jwt} provider verifying the same HS256 access token and looking up the same in-memory user, served
 * in-process by Ktor's test engine in the same run (issue 7: restflowJwt at least 0.95x the plain throughput).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JwtRoute {
    private JwtApp app;
    private Map<String, String> headers;

    @Setup(Level.Trial)
    public void setUp() {
        app = new JwtApp();
        headers = app.getHeaders();
        app.checkAnswers();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        app.close();
    }

    @Benchmark
    @Threads(4)
    public String restflowJwt() {
        return app.getServer().get("/rf/me", headers);
    }

    @Benchmark
    @Threads(4)
    public String plainJwt() {
        return app.getServer().get("/plain/me", headers);
    }

    /** restflowJwt and plainJwt served at the same time (two callers each), so both see the same machine load. */
    @Benchmark
    @Group("paired")
    @GroupThreads(2)
    public String paired_restflowJwt() {
        return app.getServer().get("/rf/me", headers);
    }

    /** The baseline half of the paired group. */
    @Benchmark
    @Group("paired")
    @GroupThreads(2)
    public String paired_plainJwt() {
        return app.getServer().get("/plain/me", headers);
    }
}
