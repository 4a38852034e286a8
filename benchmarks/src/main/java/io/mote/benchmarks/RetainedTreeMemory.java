package io.mote.benchmarks;

import io.mote.engine.retained.RetainedTree;
import io.mote.engine.topic.LevelTable;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;

/**
 * Heap held by a retained tree of one million rows: 100 sites x 1000 devices x 10 readings in two
 * groups, {@code site<s>/dev<d>/<group>/<reading>}, each with an 8-byte payload such as
 * {@code 00213.57}. The budget is 150 MB. Heap is read after forced collections, so it is the live
 * size of the tree and its level table, not allocation churn.
 *
 * <p>Run: {@code java -Xmx2g -cp benchmarks/target/mote-benchmarks.jar io.mote.benchmarks.RetainedTreeMemory}
 */
public final class RetainedTreeMemory
{
    private static final int ROWS = 1_000_000;
    private static final int SITES = 100;
    private static final int DEVICES_PER_SITE = 1_000;
    private static final long BUDGET_BYTES = 150_000_000L;
    private static final String[] GROUPS = {"env", "power"};
    private static final String[] READINGS = {
        "temperature", "humidity", "co2", "pressure", "lux", "voltage", "current", "watts", "energy", "frequency"};

    private RetainedTreeMemory()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final long before = liveHeapBytes(memory);

        final LevelTable levels = new LevelTable();
        final RetainedTree tree = new RetainedTree(levels);
        final byte[] payload = new byte[8];
        for (int i = 0; i < ROWS; i++)
        {
            final int site = i % SITES;
            final int device = (i / SITES) % DEVICES_PER_SITE;
            final int reading = i / (SITES * DEVICES_PER_SITE);
            final byte[] topic = ("site" + site + "/dev" + device + "/" + GROUPS[reading / 5] + "/" + READINGS[reading])
                .getBytes(StandardCharsets.US_ASCII);
            writeReading(payload, i % 10_000_000);
            tree.set(topic, 0, topic.length, payload, 0, payload.length);
        }

        final long after = liveHeapBytes(memory);
        final long used = after - before;
        final long footprint = tree.footprintBytes();
        System.out.printf("rows=%,d nodes=%,d levels=%,d%n", tree.rowCount(), tree.nodeCount(), levels.size());
        System.out.printf("live heap of tree + level table: %,d bytes (%.1f MB), %.1f bytes/row%n",
            used, used / 1e6, (double)used / tree.rowCount());
        System.out.printf("tree.footprintBytes(): %,d bytes (%.1f MB), %.1f bytes/row%n",
            footprint, footprint / 1e6, (double)footprint / tree.rowCount());
        System.out.printf("budget %,d bytes: %s%n", BUDGET_BYTES, used <= BUDGET_BYTES ? "within" : "OVER");
    }

    /** Writes {@code value} as a fixed-point reading {@code DDDDD.DD}: exactly eight ASCII bytes. */
    private static void writeReading(final byte[] payload, final int value)
    {
        int rest = value;
        for (int i = payload.length - 1; i >= 0; i--)
        {
            if (i == 5)
            {
                payload[i] = '.';
                continue;
            }
            payload[i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
    }

    private static long liveHeapBytes(final MemoryMXBean memory) throws InterruptedException
    {
        for (int i = 0; i < 4; i++)
        {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
