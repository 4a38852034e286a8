package io.mote.engine.subscription;

import io.mote.engine.topic.LevelTable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TrieNodesTest
{
    private final LevelTable levels = new LevelTable();
    private final TrieNodes nodes = new TrieNodes(levels, 16);

    @Test
    void shouldReuseFreedNodeIdWhenNodeIsAllocatedAgain()
    {
        final int first = exact(TrieNodes.ROOT, "a");
        nodes.free(first);

        final int second = nodes.plusChildOrCreate(TrieNodes.ROOT);

        assertThat(second).isEqualTo(first);
        assertThat(nodes.exactChild(TrieNodes.ROOT, levels.find(bytes("a"), 0, 1))).isEqualTo(TrieNodes.NONE);
        assertThat(nodes.liveCount()).isEqualTo(2);
    }

    @Test
    void shouldKeepEveryEdgeWhenArraysGrow()
    {
        int node = TrieNodes.ROOT;
        for (int i = 0; i < 100; i++)
        {
            node = i % 2 == 0 ? exact(node, "l" + i) : nodes.plusChildOrCreate(node);
        }

        int walked = TrieNodes.ROOT;
        for (int i = 0; i < 100; i++)
        {
            final byte[] level = bytes("l" + i);
            walked = i % 2 == 0 ? nodes.exactChild(walked, levels.find(level, 0, level.length)) : nodes.plusChild(walked);
        }
        assertThat(walked).isEqualTo(node);
        assertThat(nodes.liveCount()).isEqualTo(101);
    }

    @Test
    void shouldReportNodeUnusedOnlyWhenItHasNoChildAndNoSubscription()
    {
        final int parent = exact(TrieNodes.ROOT, "a");
        final int child = nodes.hashChildOrCreate(parent);

        assertThat(nodes.isUnused(parent)).isFalse();
        nodes.listHead(TrieNodes.list(child, TrieNodes.STRICTLY_BELOW), 9);
        assertThat(nodes.isUnused(child)).isFalse();
        nodes.listHead(TrieNodes.list(child, TrieNodes.STRICTLY_BELOW), TrieNodes.NONE);
        assertThat(nodes.isUnused(child)).isTrue();
        assertThat(nodes.free(child)).isEqualTo(parent);
        assertThat(nodes.isUnused(parent)).isTrue();
    }

    @Test
    void shouldFindEveryExactChildWhenTheCachedFirstChildIsPrunedAndReplaced()
    {
        final int a = exact(TrieNodes.ROOT, "a");
        final int b = exact(TrieNodes.ROOT, "b");
        final int c = exact(TrieNodes.ROOT, "c");
        assertThat(child("a")).isEqualTo(a);
        assertThat(child("b")).isEqualTo(b);

        nodes.free(a);
        assertThat(child("a")).isEqualTo(TrieNodes.NONE);
        assertThat(child("c")).isEqualTo(c);

        final int d = exact(TrieNodes.ROOT, "d");
        nodes.free(c);
        assertThat(child("b")).isEqualTo(b);
        assertThat(child("c")).isEqualTo(TrieNodes.NONE);
        assertThat(child("d")).isEqualTo(d);
    }

    @Test
    void shouldFindNoExactChildWhenLevelIsUnknown()
    {
        exact(TrieNodes.ROOT, "a");
        nodes.plusChildOrCreate(TrieNodes.ROOT);

        assertThat(nodes.exactChild(TrieNodes.ROOT, LevelTable.NO_LEVEL)).isEqualTo(TrieNodes.NONE);
        assertThat(nodes.exactChild(nodes.plusChild(TrieNodes.ROOT), LevelTable.NO_LEVEL)).isEqualTo(TrieNodes.NONE);
    }

    private int child(final String level)
    {
        final byte[] text = bytes(level);
        return nodes.exactChild(TrieNodes.ROOT, levels.find(text, 0, text.length));
    }

    private int exact(final int node, final String level)
    {
        final byte[] text = bytes(level);
        return nodes.exactChildOrCreate(node, text, 0, text.length);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
