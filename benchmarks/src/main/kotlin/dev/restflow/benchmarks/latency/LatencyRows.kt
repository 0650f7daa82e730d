package dev.restflow.benchmarks.latency

import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.dao.id.IntIdTable

/** The table of the invalidation-latency benchmark: each sample updates one row's [version]. */
internal object LatencyRows : IntIdTable("latency_rows") {
    /** Bumped by every sample's commit. */
    val version: Column<Int> = integer("version")
}
