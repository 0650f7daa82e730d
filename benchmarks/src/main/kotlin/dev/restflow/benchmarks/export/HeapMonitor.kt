package dev.restflow.benchmarks.export

import com.sun.management.GarbageCollectionNotificationInfo
import java.lang.management.ManagementFactory
import java.lang.management.MemoryType
import javax.management.NotificationEmitter
import javax.management.openmbean.CompositeData

/**
 * Heap figures of the export server's own JVM over one measured window ([start] … [stop]).
 *
 * - **post-GC peak**: the largest heap in use right after a collection the JVM ran by itself (from the collectors'
 *   notifications). Close to the live set, plus whatever garbage that collection left (a young collection leaves the
 *   old generation as it is).
 * - **live peak** (only with a forced-GC interval): every interval the sampler runs `System.gc()` (a full, compacting
 *   collection with G1) and reads the heap in use: the live set at that moment, the cleanest "memory held by the
 *   stream" figure. It slows the stream down, so throughput is never measured in such a window.
 * - **used peak**: the largest heap in use, sampled every 2 ms, garbage included: what the heap must hold at most.
 *
 * Thread-safe: the window is driven by HTTP calls, the figures are written by GC notification and sampler threads.
 */
internal class HeapMonitor {
    private val memory = ManagementFactory.getMemoryMXBean()
    private val heapPoolNames: Set<String> =
        ManagementFactory.getMemoryPoolMXBeans().filter { it.type == MemoryType.HEAP }.map { it.name }.toSet()

    @Volatile private var recording = false
    @Volatile private var forcedGcIntervalMillis = 0L
    @Volatile private var sampler: Thread? = null

    private val lock = Any()
    private var liveBefore = 0L
    private var postGcPeak = 0L
    private var naturalGcs = 0
    private var livePeak = 0L
    private var forcedGcs = 0
    private var usedPeak = 0L

    init {
        for (gc in ManagementFactory.getGarbageCollectorMXBeans()) {
            (gc as NotificationEmitter).addNotificationListener({ notification, _ ->
                if (notification.type == GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION && recording) {
                    val info = GarbageCollectionNotificationInfo.from(notification.userData as CompositeData)
                    val after = info.gcInfo.memoryUsageAfterGc.filterKeys { it in heapPoolNames }.values.sumOf { it.used }
                    // Forced collections are the sampler's; it reads the heap itself right after them.
                    if (info.gcCause != "System.gc()") {
                        synchronized(lock) {
                            naturalGcs++
                            postGcPeak = maxOf(postGcPeak, after)
                        }
                    }
                }
            }, null, null)
        }
    }

    /** Collects, records the live heap before the window, clears the peaks and starts sampling. */
    fun start(forcedGcIntervalMillis: Long) {
        stopSampler()
        System.gc()
        synchronized(lock) {
            liveBefore = memory.heapMemoryUsage.used
            postGcPeak = 0; naturalGcs = 0; livePeak = 0; forcedGcs = 0; usedPeak = 0
        }
        this.forcedGcIntervalMillis = forcedGcIntervalMillis
        recording = true
        sampler = Thread({ sample() }, "heap-sampler").apply { isDaemon = true; start() }
    }

    /** Stops the window and returns its figures as a JSON object (bytes). */
    fun stop(): String {
        recording = false
        stopSampler()
        synchronized(lock) {
            return """{"live_before":$liveBefore,"post_gc_peak":$postGcPeak,"natural_gcs":$naturalGcs,""" +
                """"live_peak":$livePeak,"forced_gcs":$forcedGcs,"used_peak":$usedPeak,""" +
                """"max_heap":${memory.heapMemoryUsage.max}}"""
        }
    }

    private fun sample() {
        // The first forced collection comes early, so short exports get one too.
        var nextForced = System.nanoTime() + minOf(forcedGcIntervalMillis, FIRST_FORCED_GC_MILLIS) * 1_000_000
        try {
            while (recording) {
                val used = memory.heapMemoryUsage.used
                synchronized(lock) { usedPeak = maxOf(usedPeak, used) }
                if (forcedGcIntervalMillis > 0 && System.nanoTime() >= nextForced) {
                    System.gc()
                    val live = memory.heapMemoryUsage.used
                    synchronized(lock) { forcedGcs++; livePeak = maxOf(livePeak, live) }
                    nextForced = System.nanoTime() + forcedGcIntervalMillis * 1_000_000
                }
                Thread.sleep(2)
            }
        } catch (_: InterruptedException) {
            // stopped
        }
    }

    private companion object {
        const val FIRST_FORCED_GC_MILLIS = 50L
    }

    private fun stopSampler() {
        sampler?.let { it.interrupt(); it.join() }
        sampler = null
    }
}
