package io.mote.engine.subscription;

import io.mote.engine.collections.ChildIndex;
import io.mote.engine.topic.LevelTable;

import java.util.Arrays;

/**
 * Node storage of {@link SubscriptionTrie}: a node is an index into parallel int arrays, so the trie
 * costs a few ints per node and no object.
 *
 * <p>Owner: the matching thread, through the trie. Not thread safe.
 *
 * <p>Edges: exact children live in one shared {@link ChildIndex} keyed by (node, level id); the
 * {@code +} and {@code #} children are one int each, so matching never hashes to find a wildcard.
 * Each exact edge holds one reference in the {@link LevelTable}, taken when the edge is created and
 * released when it is pruned; wildcard edges hold none.
 *
 * <p>Subscription lists: every node owns two list heads, addressed as {@code list = node << 1 | kind}.
 * {@link #ANY_DEPTH} holds the subscriptions that match whenever the node is reached (and, on a
 * {@code #} node, also when the topic ends at the node's parent: MQTT 3.1.1 §4.7.1.2);
 * {@link #STRICTLY_BELOW} holds mote-dialect {@code #} subscriptions, which match only when at least
 * one topic level remains (PROTOCOL.md §3.1). The list links themselves belong to the trie.
 *
 * <p>Freed node ids are kept on an intrusive free list threaded through {@code parent}, so churn
 * reuses ids instead of growing the arrays.
 */
final class TrieNodes
{
    static final int NONE = -1;
    static final int ROOT = 0;
    static final int ANY_DEPTH = 0;
    static final int STRICTLY_BELOW = 1;

    /** Edge markers for nodes not reached by an exact level; level ids are never negative. */
    private static final int ROOT_EDGE = -2;
    private static final int PLUS_EDGE = -3;
    private static final int HASH_EDGE = -4;

    private final LevelTable levels;
    private final ChildIndex exactChildren;

    /** Parent of a live node; next free node for a free one. */
    private int[] parent;
    /** Level id of the exact edge leading here, or one of the edge markers. */
    private int[] edgeLevel;
    private int[] plusChild;
    private int[] hashChild;
    /** Children of every kind; a node with none and empty lists can be pruned. */
    private int[] childCount;
    /** Two list heads per node, see the class comment. */
    private int[] listHead;

    private int highWater;
    private int freeHead = NONE;
    private int liveCount;

    TrieNodes(final LevelTable levels, final int initialCapacity)
    {
        this.levels = levels;
        final int capacity = Math.max(16, initialCapacity);
        exactChildren = new ChildIndex(capacity);
        parent = new int[capacity];
        edgeLevel = new int[capacity];
        plusChild = new int[capacity];
        hashChild = new int[capacity];
        childCount = new int[capacity];
        listHead = new int[capacity << 1];

        final int root = allocate(NONE, ROOT_EDGE);
        if (root != ROOT)
        {
            throw new IllegalStateException("root must be node " + ROOT);
        }
    }

    static int list(final int node, final int kind)
    {
        return (node << 1) | kind;
    }

    static int nodeOfList(final int list)
    {
        return list >>> 1;
    }

    int listHead(final int list)
    {
        return listHead[list];
    }

    void listHead(final int list, final int subscriptionId)
    {
        listHead[list] = subscriptionId;
    }

    /** @return the child of {@code node} at an interned level, or {@link #NONE}. */
    int exactChild(final int node, final int levelId)
    {
        final int child = exactChildren.get(node, levelId);
        return child == ChildIndex.MISSING ? NONE : child;
    }

    int plusChild(final int node)
    {
        return plusChild[node];
    }

    int hashChild(final int node)
    {
        return hashChild[node];
    }

    /** Finds or creates the exact child for the level's text; only creation takes a level reference. */
    int exactChildOrCreate(final int node, final byte[] text, final int offset, final int length)
    {
        final int known = levels.find(text, offset, length);
        if (known != LevelTable.NO_LEVEL)
        {
            final int child = exactChildren.get(node, known);
            if (child != ChildIndex.MISSING)
            {
                return child;
            }
        }
        final int levelId = levels.acquire(text, offset, length);
        final int child = allocate(node, levelId);
        exactChildren.put(node, levelId, child);
        return child;
    }

    int plusChildOrCreate(final int node)
    {
        int child = plusChild[node];
        if (child == NONE)
        {
            child = allocate(node, PLUS_EDGE);
            plusChild[node] = child;
        }
        return child;
    }

    int hashChildOrCreate(final int node)
    {
        int child = hashChild[node];
        if (child == NONE)
        {
            child = allocate(node, HASH_EDGE);
            hashChild[node] = child;
        }
        return child;
    }

    /** True when the node holds no subscription and has no child, i.e. nothing would miss it. */
    boolean isUnused(final int node)
    {
        final int lists = node << 1;
        return childCount[node] == 0 && listHead[lists] == NONE && listHead[lists | STRICTLY_BELOW] == NONE;
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
        final int edge = edgeLevel[node];
        if (edge == PLUS_EDGE)
        {
            plusChild[up] = NONE;
        }
        else if (edge == HASH_EDGE)
        {
            hashChild[up] = NONE;
        }
        else
        {
            exactChildren.remove(up, edge);
            levels.release(edge);
        }
        childCount[up]--;

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
                grow(highWater << 1);
            }
            node = highWater++;
        }
        parent[node] = up;
        edgeLevel[node] = edge;
        plusChild[node] = NONE;
        hashChild[node] = NONE;
        childCount[node] = 0;
        listHead[node << 1] = NONE;
        listHead[(node << 1) | STRICTLY_BELOW] = NONE;
        if (up != NONE)
        {
            childCount[up]++;
        }
        liveCount++;
        return node;
    }

    private void grow(final int capacity)
    {
        parent = Arrays.copyOf(parent, capacity);
        edgeLevel = Arrays.copyOf(edgeLevel, capacity);
        plusChild = Arrays.copyOf(plusChild, capacity);
        hashChild = Arrays.copyOf(hashChild, capacity);
        childCount = Arrays.copyOf(childCount, capacity);
        listHead = Arrays.copyOf(listHead, capacity << 1);
    }
}
