package io.mote.engine.subscription;

import io.mote.engine.collections.ChildIndex;
import io.mote.engine.topic.LevelTable;

import java.util.Arrays;

/**
 * Node storage of {@link SubscriptionTrie}: a node is a fixed-size record in one int array plus two
 * cold parallel arrays, so the trie costs a few ints per node and no object.
 *
 * <p>Owner: the matching thread, through the trie. Not thread safe.
 *
 * <p>Matching is bound by cache misses, so the record of node n, at {@code records[n * 8]}, holds
 * exactly what a match visit reads, in 32 bytes (one cache line, where parallel arrays would cost
 * one line per field); the parent and edge level, needed only by add and remove, live apart:
 * <pre>
 *   0               4               8               12              16
 *   +---------------+---------------+---------------+---------------+
 *   | plus child    | hash child    | head: any     | head: strictly|
 *   |               |               | depth         | below         |
 *   +---------------+---------------+---------------+---------------+
 *   | exact child   | first exact   | first exact   | (unused)      |
 *   | count         | level         | child         |               |
 *   +---------------+---------------+---------------+---------------+
 * </pre>
 *
 * <p>Edges: every exact child is in one shared {@link ChildIndex} keyed by (node, level id), which
 * stays authoritative. The first exact child a node gets is also cached in its record until that
 * child is pruned: most nodes under a constant level ({@code device}, {@code metric}) have one exact
 * child, and the cache spares their probe (two likely misses) while the count spares the probe of
 * nodes with no other exact child. The {@code +} and {@code #} children are one int each. Each exact
 * edge holds one reference in the {@link LevelTable}, taken when the edge is created and released
 * when it is pruned; wildcard edges hold none.
 *
 * <p>Subscription lists: every node owns two list heads, addressed by {@link #list}.
 * {@link #ANY_DEPTH} holds the subscriptions that match whenever the node is reached (and, on a
 * {@code #} node, also when the topic ends at the node's parent: MQTT 3.1.1 §4.7.1.2);
 * {@link #STRICTLY_BELOW} holds mote-dialect {@code #} subscriptions, which match only when at least
 * one topic level remains (PROTOCOL.md §3.1). The list links themselves belong to the trie.
 *
 * <p>Freed nodes are kept on an intrusive free list threaded through the parent array, so churn
 * reuses nodes instead of growing the arrays.
 */
final class TrieNodes
{
    static final int NONE = -1;
    static final int ROOT = 0;
    static final int ANY_DEPTH = 0;
    static final int STRICTLY_BELOW = 1;

    private static final int PLUS_CHILD = 0;
    private static final int HASH_CHILD = 1;
    private static final int HEAD = 2;
    private static final int EXACT_CHILDREN = 4;
    private static final int FIRST_LEVEL = 5;
    private static final int FIRST_CHILD = 6;
    private static final int RECORD_SHIFT = 3;

    /** Level ids are never negative, so these markers cannot be taken for a level. */
    private static final int NO_FIRST_LEVEL = Integer.MIN_VALUE;
    private static final int ROOT_EDGE = -2;
    private static final int PLUS_EDGE = -3;
    private static final int HASH_EDGE = -4;

    private final LevelTable levels;
    private final ChildIndex exactChildren;
    private int[] records;
    /** Parent of a live node; next free node for a free one. */
    private int[] parent;
    /** Level id of the exact edge leading to the node, or one of the edge markers. */
    private int[] edgeLevel;
    private int highWater;
    private int freeHead = NONE;
    private int liveCount;

    TrieNodes(final LevelTable levels, final int initialCapacity)
    {
        this.levels = levels;
        final int capacity = Math.max(16, initialCapacity);
        exactChildren = new ChildIndex(capacity);
        records = new int[capacity << RECORD_SHIFT];
        parent = new int[capacity];
        edgeLevel = new int[capacity];

        final int root = allocate(NONE, ROOT_EDGE);
        if (root != ROOT)
        {
            throw new IllegalStateException("root must be node " + ROOT);
        }
    }

    /** Index of one of a node's two subscription lists, as stored in the trie's list links. */
    static int list(final int node, final int kind)
    {
        return (node << RECORD_SHIFT) + HEAD + kind;
    }

    static int nodeOfList(final int list)
    {
        return list >>> RECORD_SHIFT;
    }

    int listHead(final int list)
    {
        return records[list];
    }

    void listHead(final int list, final int subscriptionId)
    {
        records[list] = subscriptionId;
    }

    /** @return the child of {@code node} at a level id, or {@link #NONE}. */
    int exactChild(final int node, final int levelId)
    {
        final int record = node << RECORD_SHIFT;
        final int firstLevel = records[record + FIRST_LEVEL];
        if (firstLevel == levelId)
        {
            return records[record + FIRST_CHILD];
        }
        final int uncached = records[record + EXACT_CHILDREN] - (firstLevel == NO_FIRST_LEVEL ? 0 : 1);
        if (uncached == 0)
        {
            return NONE;
        }
        final int child = exactChildren.get(node, levelId);
        return child == ChildIndex.MISSING ? NONE : child;
    }

    int plusChild(final int node)
    {
        return records[(node << RECORD_SHIFT) + PLUS_CHILD];
    }

    int hashChild(final int node)
    {
        return records[(node << RECORD_SHIFT) + HASH_CHILD];
    }

    /** Finds or creates the exact child for the level's text; only creation takes a level reference. */
    int exactChildOrCreate(final int node, final byte[] text, final int offset, final int length)
    {
        final int known = levels.find(text, offset, length);
        if (known != LevelTable.NO_LEVEL)
        {
            final int child = exactChild(node, known);
            if (child != NONE)
            {
                return child;
            }
        }
        final int levelId = levels.acquire(text, offset, length);
        final int child = allocate(node, levelId);
        exactChildren.put(node, levelId, child);
        final int record = node << RECORD_SHIFT;
        records[record + EXACT_CHILDREN]++;
        if (records[record + FIRST_LEVEL] == NO_FIRST_LEVEL)
        {
            records[record + FIRST_LEVEL] = levelId;
            records[record + FIRST_CHILD] = child;
        }
        return child;
    }

    int plusChildOrCreate(final int node)
    {
        return wildcardChildOrCreate(node, PLUS_CHILD, PLUS_EDGE);
    }

    int hashChildOrCreate(final int node)
    {
        return wildcardChildOrCreate(node, HASH_CHILD, HASH_EDGE);
    }

    /** True when the node holds no subscription and has no child, i.e. nothing would miss it. */
    boolean isUnused(final int node)
    {
        final int record = node << RECORD_SHIFT;
        return records[record + EXACT_CHILDREN] == 0 &&
            records[record + PLUS_CHILD] == NONE &&
            records[record + HASH_CHILD] == NONE &&
            records[record + HEAD + ANY_DEPTH] == NONE &&
            records[record + HEAD + STRICTLY_BELOW] == NONE;
    }

    /**
     * Detaches an unused, non-root node from its parent, releases its level reference, and recycles
     * its id.
     *
     * @return the parent, which may have become unused in turn.
     */
    int free(final int node)
    {
        final int up = parent[node];
        final int upRecord = up << RECORD_SHIFT;
        final int edge = edgeLevel[node];
        if (edge == PLUS_EDGE)
        {
            records[upRecord + PLUS_CHILD] = NONE;
        }
        else if (edge == HASH_EDGE)
        {
            records[upRecord + HASH_CHILD] = NONE;
        }
        else
        {
            exactChildren.remove(up, edge);
            levels.release(edge);
            records[upRecord + EXACT_CHILDREN]--;
            if (records[upRecord + FIRST_CHILD] == node)
            {
                records[upRecord + FIRST_LEVEL] = NO_FIRST_LEVEL;
                records[upRecord + FIRST_CHILD] = NONE;
            }
        }

        parent[node] = freeHead;
        freeHead = node;
        liveCount--;
        return up;
    }

    /** Live nodes, the root included. */
    int liveCount()
    {
        return liveCount;
    }

    private int wildcardChildOrCreate(final int node, final int field, final int edge)
    {
        final int slot = (node << RECORD_SHIFT) + field;
        int child = records[slot];
        if (child == NONE)
        {
            child = allocate(node, edge);
            records[slot] = child;
        }
        return child;
    }

    /** May replace the arrays by larger copies; node ids and record indexes stay valid. */
    private int allocate(final int up, final int edge)
    {
        final int node;
        if (freeHead != NONE)
        {
            node = freeHead;
            freeHead = parent[node];
        }
        else
        {
            if (highWater == parent.length)
            {
                final int capacity = highWater << 1;
                records = Arrays.copyOf(records, capacity << RECORD_SHIFT);
                parent = Arrays.copyOf(parent, capacity);
                edgeLevel = Arrays.copyOf(edgeLevel, capacity);
            }
            node = highWater++;
        }
        final int record = node << RECORD_SHIFT;
        records[record + PLUS_CHILD] = NONE;
        records[record + HASH_CHILD] = NONE;
        records[record + HEAD + ANY_DEPTH] = NONE;
        records[record + HEAD + STRICTLY_BELOW] = NONE;
        records[record + EXACT_CHILDREN] = 0;
        records[record + FIRST_LEVEL] = NO_FIRST_LEVEL;
        records[record + FIRST_CHILD] = NONE;
        parent[node] = up;
        edgeLevel[node] = edge;
        liveCount++;
        return node;
    }
}
