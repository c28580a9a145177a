package io.loyalflow.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;

/** Heap figures the benchmarks report, read the same way in each. */
final class HeapReadings {

    private HeapReadings() {}

    /** Bytes in use after a full GC: the least of three readings, each after a GC and a short settle. */
    static long inUseAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(500);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The sum of the heap pools' peak usage since the JVM started, in bytes. */
    static long poolPeaks() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }
}
