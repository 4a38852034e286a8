package io.mote.engine.retained;

import io.mote.engine.topic.LevelTable;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steady-state retained updates (a device re-publishing a reading of the same size) must not
 * allocate. Counts this thread's allocated bytes, which is deterministic, rather than timing anything.
 */
class RetainedTreeAllocationTest
{
    private static final int WARM_UP_SETS = 20_000;
    private static final int MEASURED_SETS = 10_000;

    @Test
    void shouldAllocateNothingWhenOverwritingRowWithSameLengthPayload()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);

        final RetainedTree tree = new RetainedTree(new LevelTable());
        final byte[] topic = "site7/dev42//temperature".getBytes(StandardCharsets.US_ASCII);
        final byte[] payloads = "21.5C22.0C22.5C23.0C".getBytes(StandardCharsets.US_ASCII);
        tree.set("site7/dev42/other".getBytes(StandardCharsets.US_ASCII), 0, 17, payloads, 0, 5);
        tree.set(topic, 0, topic.length, payloads, 0, 5);

        overwrite(tree, topic, payloads, WARM_UP_SETS);
        final long before = threads.getCurrentThreadAllocatedBytes();
        overwrite(tree, topic, payloads, MEASURED_SETS);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).isZero();
        assertThat(tree.rowCount()).isEqualTo(2);
    }

    @Test
    void shouldAllocateNothingWhenOverwritingRowWithPayloadsOfChangingLength()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);

        final RetainedTree tree = new RetainedTree(new LevelTable());
        final byte[] topic = "site7/dev42/env/temperature".getBytes(StandardCharsets.US_ASCII);
        final byte[] payloads = "21.5C22.0C22.5C23.0C".getBytes(StandardCharsets.US_ASCII);

        // Lengths 4 and 5 alternate: each set leaves a dead record, so pages fill, empty and come back.
        overwriteChangingLength(tree, topic, payloads, 4 * WARM_UP_SETS);
        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        overwriteChangingLength(tree, topic, payloads, 4 * MEASURED_SETS);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).isZero();
        assertThat(tree.values().pagesInUse()).isLessThanOrEqualTo(2);
    }

    private static void overwriteChangingLength(final RetainedTree tree, final byte[] topic, final byte[] payloads, final int times)
    {
        for (int i = 0; i < times; i++)
        {
            tree.set(topic, 0, topic.length, payloads, (i & 3) * 5, 4 + (i & 1));
        }
    }

    private static void overwrite(final RetainedTree tree, final byte[] topic, final byte[] payloads, final int times)
    {
        for (int i = 0; i < times; i++)
        {
            tree.set(topic, 0, topic.length, payloads, (i & 3) * 5, 5);
        }
    }
}
