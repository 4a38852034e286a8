package io.mote.engine.retained;

import io.mote.engine.topic.LevelTable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RetainedChildrenTest
{
    private static final int LIMIT = 2;

    private final RetainedTree tree = new RetainedTree(new LevelTable(), LIMIT);

    @Test
    void shouldWalkSiblingsWithoutIndexingWhenAParentHasFewChildren()
    {
        set("p/a");
        set("p/b");

        assertThat(tree.children().indexed(find("p"))).isFalse();
        assertThat(tree.children().indexSize()).isZero();
        assertThat(tree.copyValue(find("p/b"))).isEqualTo(bytes("v"));
    }

    @Test
    void shouldIndexEveryChildWhenAParentPassesTheScanLimit()
    {
        set("p/a");
        set("p/b");
        set("p/c");

        assertThat(tree.children().indexed(find("p"))).isTrue();
        assertThat(tree.children().indexSize()).isEqualTo(3);
        assertThat(find("p/a")).isNotEqualTo(RetainedTree.NO_NODE);
    }

    @Test
    void shouldKeepAParentIndexedWhenItsChildrenFallBelowTheLimit()
    {
        set("p/a");
        set("p/b");
        set("p/c");
        delete("p/b");
        delete("p/c");

        assertThat(tree.children().indexed(find("p"))).isTrue();
        assertThat(tree.children().indexSize()).isEqualTo(1);
        assertThat(find("p/b")).isEqualTo(RetainedTree.NO_NODE);
        assertThat(find("p/a")).isNotEqualTo(RetainedTree.NO_NODE);
    }

    @Test
    void shouldStopIndexingAParentWhenItsLastChildGoes()
    {
        set("p");
        set("p/a");
        set("p/b");
        set("p/c");
        delete("p/a");
        delete("p/b");
        delete("p/c");

        assertThat(tree.children().indexed(find("p"))).isFalse();
        assertThat(tree.children().indexSize()).isZero();
    }

    @Test
    void shouldStartAReusedIdAsASmallParentWhenAnIndexedNodeWasFreed()
    {
        set("p/a");
        set("p/b");
        set("p/c");
        final int freed = find("p");
        delete("p/a");
        delete("p/b");
        delete("p/c");
        set("q");
        set("q/x");

        assertThat(tree.nodeCount()).isEqualTo(3);
        assertThat(freed).isIn(find("q"), find("q/x"));
        assertThat(tree.children().indexed(find("q"))).isFalse();
        assertThat(tree.children().indexSize()).isZero();
    }

    @Test
    void shouldIndexAppendedChildrenInBulkWhenAParentPassesTheLimitDuringASortedRestore()
    {
        restoreSorted("p/a", "p/b", "p/c", "p/d");

        assertThat(tree.children().indexed(find("p"))).isTrue();
        assertThat(tree.children().indexSize()).isEqualTo(4);
        assertThat(RetainedTreeProperties.rows(tree, tree.levels())).containsOnlyKeys("p/a", "p/b", "p/c", "p/d");
    }

    @Test
    void shouldIndexOlderChildrenAtOnceAndAppendedOnesInBulkWhenAParentPassesTheLimitDuringADeferral()
    {
        set("p/a");
        final int p = find("p");
        assertThat(tree.children().deferIndex()).isTrue();
        final byte[] v = bytes("v");
        for (final String level : new String[] {"b", "c", "d"})
        {
            final byte[] l = bytes(level);
            tree.setValue(tree.children().appendUnindexed(p, tree.levels().acquire(l, 0, l.length)), v, 0, v.length);
        }
        assertThat(tree.children().indexSize()).as("p/a, older than the deferral").isEqualTo(1);
        tree.children().indexDeferred();

        assertThat(tree.children().indexed(p)).isTrue();
        assertThat(tree.children().indexSize()).isEqualTo(4);
        assertThat(RetainedTreeProperties.rows(tree, tree.levels())).containsOnlyKeys("p/a", "p/b", "p/c", "p/d");
    }

    @Test
    void shouldLinkSiblingsBackOnTheFirstRemovalWhenAParentWasIndexedInBulk()
    {
        restoreSorted("p/a", "p/b", "p/c", "p/d");
        final int p = find("p");
        assertThat(tree.children().backLinked(p)).isFalse();

        delete("p/c");

        assertThat(tree.children().backLinked(p)).isTrue();
        assertThat(RetainedTreeProperties.rows(tree, tree.levels())).containsOnlyKeys("p/a", "p/b", "p/d");
        delete("p/d");
        delete("p/a");
        assertThat(RetainedTreeProperties.rows(tree, tree.levels())).containsOnlyKeys("p/b");
    }

    private void set(final String topic)
    {
        final byte[] t = bytes(topic);
        final byte[] v = bytes("v");
        tree.set(t, 0, t.length, v, 0, v.length);
    }

    private void delete(final String topic)
    {
        final byte[] t = bytes(topic);
        tree.delete(t, 0, t.length);
    }

    private int find(final String topic)
    {
        final byte[] t = bytes(topic);
        return tree.find(t, 0, t.length);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A bulk restore of {@code topics}, given in tree order, each with the value {@code v}. */
    private void restoreSorted(final String... topics)
    {
        final RetainedRestorer restorer = new RetainedRestorer(tree);
        final byte[] v = bytes("v");
        for (final String topic : topics)
        {
            final byte[] t = bytes(topic);
            restorer.restore(t, 0, t.length, v, 0, v.length);
        }
        restorer.finish();
    }
}
