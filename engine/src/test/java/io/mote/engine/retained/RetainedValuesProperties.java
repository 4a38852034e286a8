package io.mote.engine.retained;

import io.mote.engine.topic.LevelTable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Value pages against a map of node to payload. Lengths mix small records, records of tens of KB
 * (so a few hundred operations fill, abandon and evacuate pages of 256 KB) and values large enough
 * for an array of their own; overwrites go in place when the length matches, as the tree does.
 * After every operation each live value reads back, and the pages in use stay within the bound
 * evacuation promises. jqwik prints the seed of a failing run.
 */
class RetainedValuesProperties
{
    private static final int NODES = 24;

    record Op(int node, int length, byte fill)
    {
    }

    @Property(tries = 200)
    void shouldReadBackEveryLiveValueWhenValuesAreStoredOverwrittenAndReleased(@ForAll("operations") final List<Op> operations)
    {
        final RetainedNodes nodes = new RetainedNodes(NODES + 1);
        nodes.allocate(RetainedNodes.NO_NODE, LevelTable.NO_LEVEL);
        final int[] ids = new int[NODES];
        for (int i = 0; i < NODES; i++)
        {
            ids[i] = nodes.allocate(0, i);
        }
        final RetainedValues values = new RetainedValues(nodes);
        final Map<Integer, byte[]> model = new HashMap<>();

        for (final Op op : operations)
        {
            final int node = ids[op.node()];
            final int handle = nodes.valueHandle(node);
            if (op.length() == 0)
            {
                if (handle != RetainedValues.NO_VALUE)
                {
                    values.release(node);
                }
                model.remove(node);
            }
            else
            {
                final byte[] payload = new byte[op.length() + 3];
                Arrays.fill(payload, op.fill());
                if (handle != RetainedValues.NO_VALUE && values.length(handle) == op.length())
                {
                    System.arraycopy(payload, 3, values.array(handle), values.offset(handle), op.length());
                }
                else
                {
                    if (handle != RetainedValues.NO_VALUE)
                    {
                        values.release(node);
                    }
                    values.store(node, payload, 3, op.length());
                }
                model.put(node, Arrays.copyOfRange(payload, 3, payload.length));
            }
            assertReadBack(nodes, values, ids, model);
        }
    }

    private static void assertReadBack(final RetainedNodes nodes, final RetainedValues values, final int[] ids, final Map<Integer, byte[]> model)
    {
        long liveRecordBytes = 0;
        for (final int node : ids)
        {
            final int handle = nodes.valueHandle(node);
            final byte[] expected = model.get(node);
            if (expected == null)
            {
                assertThat(handle).isEqualTo(RetainedValues.NO_VALUE);
                continue;
            }
            assertThat(handle).isNotEqualTo(RetainedValues.NO_VALUE);
            final int offset = values.offset(handle);
            assertThat(Arrays.copyOfRange(values.array(handle), offset, offset + values.length(handle))).isEqualTo(expected);
            if (handle > 0)
            {
                liveRecordBytes += RetainedValues.recordBytes(expected.length);
            }
        }
        // Every page but the tail is at least half live data.
        assertThat(values.pagesInUse()).isLessThanOrEqualTo(1 + (int)(2 * liveRecordBytes / RetainedValues.PAGE_BYTES));
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        final Arbitrary<Integer> length = Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just(0)),
            Tuple.of(4, Arbitraries.integers().between(1, 24)),
            Tuple.of(4, Arbitraries.integers().between(1_000, RetainedValues.LARGE_BYTES)),
            Tuple.of(1, Arbitraries.integers().between(RetainedValues.LARGE_BYTES + 1, RetainedValues.LARGE_BYTES + 100)));
        final Arbitrary<Op> op = Combinators.combine(
            Arbitraries.integers().between(0, NODES - 1), length, Arbitraries.bytes()).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(400);
    }
}
