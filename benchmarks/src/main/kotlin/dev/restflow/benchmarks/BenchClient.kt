package dev.restflow.benchmarks

/** A served benchmark application, called blocking from JMH. */
public interface BenchClient : AutoCloseable {
    /** GETs [path] with [headers]; anything but 200 is an error, so a benchmark never measures a refusal. */
    public fun get(path: String, headers: Map<String, String>): String
}
