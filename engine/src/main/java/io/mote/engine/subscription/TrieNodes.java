package io.mote.engine.subscription;

import io.mote.engine.collections.ChildIndex;
import io.mote.engine.topic.LevelTable;

import java.util.Arrays;

/**
 * Node storage of {@link SubscriptionTrie}: a node is a fixed-size record in one int array, so the
 * trie costs a few ints per node and no object.
 *
 * <p>Owner: the matching thread, through the trie. Not thread safe.
 *
 * <p>Record of node n, at {@code records[n * RECORD_INTS]}. The five fields matching reads come
 * first and span 20 bytes, so visiting a node mostly touches one cache line where parallel arrays
 * would touch five:
 * <pre>
 *   0               4               8               12              16
 *   +---------------+---------------+---------------+---------------+
 *   | plus child    | hash child    | head: any     | head: strictly|  read by match
 *   |               |               | depth         | below         |
 *   +---------------+---------------+---------------+---------------+
 *   | exact child   | parent / next | edge level    | (unused)      |  first read by match,
 *   | count         | free node     |               |               |  rest by add and remove
 *   +---------------+---------------+---------------+---------------+
 * </pre>
 *
 * <p>Edges: exact children live in one shared {@link ChildIndex} keyed by (node, level id); the
 * {@code +} and {@code #} children are one int each, so matching never hashes to find a wildcard.
 * Each exact edge holds one reference in the {@link LevelTable}, taken when the edge is created and
 * released when it is pruned; wildcard edges hold none.
 *
 * <p>Subscription lists: every node owns two list heads, addressed by {@link #list}.
 * {@link #ANY_DEPTH} holds the subscriptions that match whenever the node is reached (and, on a
 * {@code #} node, also when the topic ends at the node's parent: MQTT 3.1.1 §4.7.1.2);
 * {@link #STRICTLY_BELOW} holds mote-dialect {@code #} subscriptions, which match only when at least
 * one topic level remains (PROTOCOL.md §3.1). The list links themselves belong to the trie.
 *
 * <p>Freed nodes are kept on an intrusive free list threaded through the parent field, so churn
 * reuses records instead of growing the array.
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
    private static final int PARENT = 5;
    private static final int EDGE_LEVEL = 6;
    private static final int RECORD_SHIFT = 3;
    private static final int RECORD_INTS = 1 << RECORD_SHIFT;

    /** Edge markers for nodes not reached by an exact level; level ids are never negative. */
    private static final int ROOT_EDGE = -2;
    private static final int PLUS_EDGE = -3;
    private static final int HASH_EDGE = -4;

    private final LevelTable levels;
    private final ChildIndex exactChildren;
    private int[] records;
    private int highWater;
    private int freeHead = NONE;
    private int liveCount;

    TrieNodes(final LevelTable levels, final int initialCapacity)
    {
        this.levels = levels;
        final int capacity = Math.max(16, initialCapacity);
        exactChildren = new ChildIndex(capacity);
        records = new int[capacity << RECORD_SHIFT];

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

    /** @return the child of {@code node} at an interned level, or {@link #NONE}. */
    int exactChild(final int node, final int levelId)
    {
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
            final int child = exactChildren.get(node, known);
            if (child != ChildIndex.MISSING)
            {
                return child;
            }
        }
        final int levelId = levels.acquire(text, offset, length);
        final int child = allocate(node, levelId);
        exactChildren.put(node, levelId, child);
        records[(node << RECORD_SHIFT) + EXACT_CHILDREN]++;
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

    /** Lets matching skip the {@link ChildIndex} probe, a likely cache miss, where it cannot hit. */
    boolean hasExactChildren(final int node)
    {
        return records[(node << RECORD_SHIFT) + EXACT_CHILDREN] != 0;
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
        final int record = node << RECORD_SHIFT;
        final int up = records[record + PARENT];
        final int upRecord = up << RECORD_SHIFT;
        final int edge = records[record + EDGE_LEVEL];
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
        }

        records[record + PARENT] = freeHead;
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

    /** May replace {@link #records} by a larger copy; record indexes stay valid, array references do not. */
    private int allocate(final int up, final int edge)
    {
        final int node;
        if (freeHead != NONE)
        {
            node = freeHead;
            freeHead = records[(node << RECORD_SHIFT) + PARENT];
        }
        else
        {
            if (highWater << RECORD_SHIFT == records.length)
            {
                records = Arrays.copyOf(records, records.length << 1);
            }
            node = highWater++;
        }
        final int record = node << RECORD_SHIFT;
        records[record + PLUS_CHILD] = NONE;
        records[record + HASH_CHILD] = NONE;
        records[record + HEAD + ANY_DEPTH] = NONE;
        records[record + HEAD + STRICTLY_BELOW] = NONE;
        records[record + PARENT] = up;
        records[record + EDGE_LEVEL] = edge;
        records[record + EXACT_CHILDREN] = 0;
        liveCount++;
        return node;
    }
}
