package io.mote.engine.retained;

import io.mote.engine.topic.LevelTable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RetainedRestorerTest
{
    @Test
    void shouldFindSortedRowsThroughTheChildIndexAfterFinish()
    {
        final RetainedTree tree = new RetainedTree(new LevelTable());
        final RetainedRestorer restorer = new RetainedRestorer(tree);
        restore(restorer, "site1/dev1/env/temperature", "20");
        restore(restorer, "site1/dev2/env/temperature", "21");
        restore(restorer, "site2/dev1/env/temperature", "22");
        restorer.finish();

        final byte[] topic = bytes("site1/dev2/env/temperature");
        assertThat(tree.copyValue(tree.find(topic, 0, topic.length))).isEqualTo(bytes("21"));
        assertThat(tree.nodeCount()).isEqualTo(1 + 2 + 3 * 3);
    }

    @Test
    void shouldFindTheEarlierChildWhenALevelExtendedByALowByteSortsBetween()
    {
        final RetainedTree tree = new RetainedTree(new LevelTable());
        final RetainedRestorer restorer = new RetainedRestorer(tree);
        restore(restorer, "a", "1");
        restore(restorer, "a!/x", "2");
        restore(restorer, "a/b", "3");
        restorer.finish();

        final byte[] a = bytes("a");
        final int node = tree.find(a, 0, a.length);
        assertThat(tree.copyValue(node)).isEqualTo(bytes("1"));
        assertThat(tree.firstChild(node)).isNotEqualTo(RetainedTree.NO_NODE);
        assertThat(tree.nodeCount()).isEqualTo(1 + 1 + 2 + 1);
    }

    @Test
    void shouldIndexBeforeLookingUpWhenRowsStopBeingSorted()
    {
        final RetainedTree tree = new RetainedTree(new LevelTable());
        final RetainedRestorer restorer = new RetainedRestorer(tree);
        restore(restorer, "b/x", "1");
        restore(restorer, "a/x", "2");
        restore(restorer, "b/x", "3");

        final byte[] topic = bytes("b/x");
        assertThat(tree.copyValue(tree.find(topic, 0, topic.length))).isEqualTo(bytes("3"));
        assertThat(tree.rowCount()).isEqualTo(2);
    }

    private static void restore(final RetainedRestorer restorer, final String topic, final String payload)
    {
        final byte[] t = bytes(topic);
        final byte[] p = bytes(payload);
        restorer.restore(t, 0, t.length, p, 0, p.length);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
