package io.mote.engine.match;

import java.util.Arrays;

/**
 * Reused output of a retained-tree walk: node ids, each with the index of the first publish-topic
 * level to append literally after the node's own topic ({@link #NO_SUFFIX} when the node is the
 * whole row). Owned by the matching thread.
 */
final class NodeList
{
    static final int NO_SUFFIX = -1;

    int size;
    int[] nodes = new int[64];
    int[] suffixLevel = new int[64];

    void clear()
    {
        size = 0;
    }

    void add(final int node, final int suffixFromLevel)
    {
        if (size == nodes.length)
        {
            nodes = Arrays.copyOf(nodes, size << 1);
            suffixLevel = Arrays.copyOf(suffixLevel, size << 1);
        }
        nodes[size] = node;
        suffixLevel[size] = suffixFromLevel;
        size++;
    }
}
