package dev.restflow.benchmarks.latency

import java.util.Locale

/** Nearest-rank percentiles of latency samples in nanoseconds, printed in milliseconds. */
internal class LatencySummary(samples: LongArray) {
    private val sorted = samples.sortedArray()

    /** How many samples. */
    val count: Int get() = sorted.size

    /** The [p]th percentile (0 < p ≤ 100) by nearest rank, in milliseconds. */
    fun percentileMillis(p: Double): Double {
        if (sorted.isEmpty()) return Double.NaN
        val rank = kotlin.math.ceil(p / 100.0 * sorted.size).toInt().coerceIn(1, sorted.size)
        return sorted[rank - 1] / 1e6
    }

    /** The largest sample, in milliseconds. */
    val maxMillis: Double get() = if (sorted.isEmpty()) Double.NaN else sorted.last() / 1e6

    /** The smallest sample, in milliseconds. */
    val minMillis: Double get() = if (sorted.isEmpty()) Double.NaN else sorted.first() / 1e6

    /** The mean, in milliseconds. */
    val meanMillis: Double get() = if (sorted.isEmpty()) Double.NaN else sorted.average() / 1e6

    companion object {
        /** Milliseconds with three decimals. */
        fun ms(value: Double): String = String.format(Locale.ROOT, "%.3f", value)
    }
}
