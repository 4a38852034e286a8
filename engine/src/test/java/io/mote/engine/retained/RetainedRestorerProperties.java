package io.mote.engine.retained;

import io.mote.engine.topic.LevelTable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk restore must build exactly the tree that ordinary {@link RetainedTree#set}/{@code delete}
 * of the same rows builds: same rows, same nodes, same level references, every child indexed.
 * Levels include the empty one and ones that extend another with a byte sorting before and after
 * {@code /} ({@code a!}, {@code a-b}, {@code ab}), the cases where a child's rows are not contiguous
 * in byte order. jqwik prints the seed of a failing run.
 */
class RetainedRestorerProperties
{
    private static final String[] LEVELS = {"a", "a!", "a-b", "ab", "", "b", "a!!"};
    private static final String[] PAYLOADS = {"1", "2", "xy", "long payload"};
    /** Enough siblings under one parent to cross a small scan limit while sorted rows are appended. */
    private static final String[] WIDE_LEVELS = {"a", "a!", "a-b", "ab", "", "b", "c", "d", "e", "f"};

    record Row(String topic, String payload)
    {
    }

    @Property(tries = 300)
    void shouldBuildTheTreeOfOrdinarySetsWhenRowsComeInSnapshotOrder(@ForAll("rows") final List<Row> rows)
    {
        final List<Row> sorted = new ArrayList<>(rows);
        sorted.sort((x, y) -> Arrays.compareUnsigned(bytes(x.topic()), bytes(y.topic())));
        assertSameTree(sorted);
    }

    @Property(tries = 300)
    void shouldBuildTheTreeOfOrdinarySetsWhenRowsComeInAnyOrderWithDeletes(@ForAll("rowsAndDeletes") final List<Row> rows)
    {
        assertSameTree(rows);
    }

    @Property(tries = 300)
    void shouldBuildTheTreeOfOrdinarySetsWhenAJournalFollowsASortedSnapshot(
        @ForAll("rows") final List<Row> snapshot, @ForAll("rowsAndDeletes") final List<Row> journal)
    {
        final List<Row> rows = new ArrayList<>(snapshot);
        rows.sort((x, y) -> Arrays.compareUnsigned(bytes(x.topic()), bytes(y.topic())));
        rows.addAll(journal);
        assertSameTree(rows);
    }

    @Property(tries = 100)
    void shouldBuildTheTreeOfOrdinarySetsWhenSortedRowsAreShuffled(@ForAll("rows") final List<Row> rows, @ForAll final long seed)
    {
        final List<Row> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(seed));
        assertSameTree(shuffled);
    }

    /**
     * Parents pass small scan limits while the sorted snapshot is appended (their older children put
     * in the index at once, the newer ones in the bulk pass), then the journal's sets and deletes move
     * them across the limit again.
     */
    @Property(tries = 300)
    void shouldBuildTheTreeOfOrdinarySetsWhenParentsCrossTheScanLimitDuringARestore(
        @ForAll("wideRows") final List<Row> snapshot, @ForAll("wideRowsAndDeletes") final List<Row> journal,
        @ForAll @IntRange(min = 1, max = 4) final int scanLimit)
    {
        final List<Row> rows = new ArrayList<>(snapshot);
        rows.sort((x, y) -> Arrays.compareUnsigned(bytes(x.topic()), bytes(y.topic())));
        rows.addAll(journal);
        assertSameTree(rows, scanLimit);
    }

    private static void assertSameTree(final List<Row> rows)
    {
        assertSameTree(rows, RetainedChildren.DEFAULT_SCAN_LIMIT);
    }

    private static void assertSameTree(final List<Row> rows, final int scanLimit)
    {
        final LevelTable expectedLevels = new LevelTable(16);
        final RetainedTree expected = new RetainedTree(expectedLevels, scanLimit);
        final LevelTable restoredLevels = new LevelTable(16);
        final RetainedTree restored = new RetainedTree(restoredLevels, scanLimit);
        final RetainedRestorer restorer = new RetainedRestorer(restored);
        for (final Row row : rows)
        {
            final byte[] topic = bytes(row.topic());
            final byte[] payload = bytes(row.payload());
            final int expectedNode = expected.set(topic, 0, topic.length, payload, 0, payload.length);
            final int restoredNode = restorer.restore(topic, 0, topic.length, payload, 0, payload.length);
            assertThat(restoredNode == RetainedTree.NO_NODE).isEqualTo(expectedNode == RetainedTree.NO_NODE);
        }
        restorer.finish();

        assertThat(RetainedTreeProperties.rows(restored, restoredLevels)).isEqualTo(RetainedTreeProperties.rows(expected, expectedLevels));
        assertThat(restored.nodeCount()).isEqualTo(expected.nodeCount());
        assertThat(restored.rowCount()).isEqualTo(expected.rowCount());
        assertThat(restoredLevels.size()).isEqualTo(expectedLevels.size());
        for (final Row row : rows)
        {
            final byte[] topic = bytes(row.topic());
            assertThat(valueAt(restored, topic)).isEqualTo(valueAt(expected, topic));
        }
    }

    private static byte[] valueAt(final RetainedTree tree, final byte[] topic)
    {
        final int node = tree.find(topic, 0, topic.length);
        return node == RetainedTree.NO_NODE ? null : tree.copyValue(node);
    }

    @Provide
    Arbitrary<List<Row>> rows()
    {
        return row(Arbitraries.of(PAYLOADS)).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Row>> rowsAndDeletes()
    {
        return row(Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.of(PAYLOADS)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just("")))).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Row>> wideRows()
    {
        return row(WIDE_LEVELS, 3, Arbitraries.of(PAYLOADS)).list().ofMaxSize(80);
    }

    @Provide
    Arbitrary<List<Row>> wideRowsAndDeletes()
    {
        return row(WIDE_LEVELS, 3, Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(2, Arbitraries.of(PAYLOADS)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just("")))).list().ofMaxSize(80);
    }

    private static Arbitrary<Row> row(final Arbitrary<String> payload)
    {
        return row(LEVELS, 4, payload);
    }

    private static Arbitrary<Row> row(final String[] alphabet, final int maxDepth, final Arbitrary<String> payload)
    {
        final Arbitrary<String> topic = Arbitraries.of(alphabet).list().ofMinSize(1).ofMaxSize(maxDepth).map(levels -> String.join("/", levels));
        return Combinators.combine(topic, payload).as(Row::new);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
