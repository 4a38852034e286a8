package io.mote.engine.retained;

import io.mote.engine.topic.LevelTable;
import io.mote.engine.topic.TopicSyntax;

import java.util.Arrays;

/**
 * Every retained row, stored as a tree of topic levels (PROTOCOL.md §1, §2.1): a node may hold its
 * own value and have children at the same time, and deleting a value prunes the ancestors left
 * with neither a value nor children.
 *
 * <p>Owner: the engine's matching thread, which applies every batch. Not thread safe; other threads
 * never see a node or a value array.
 *
 * <p>Layout: nodes are int ids into flat arrays ({@link RetainedNodes}), children are found through
 * their parent's sibling list or, for parents with many children, one shared child index
 * ({@link RetainedChildren}), and levels are ids of a shared
 * {@link LevelTable}. Each live non-root node holds exactly one reference to its level id, taken
 * when the node is created and released when it is pruned, so a level no row uses any more is freed.
 *
 * <p>Values: each row's payload is copied into a record in shared pages ({@link RetainedValues}).
 * A new payload of the same length is written over the old one in place, and pages emptied by
 * changing lengths are reused, so steady-state updates allocate nothing. That is only sound because
 * no other thread ever holds a page: the engine copies value bytes into ring events and outbound
 * buffers before they leave the matching thread. Callers of {@link #valueArray(int)} on the matching
 * thread must read only the value's range and treat it as valid only until the next {@link #set}
 * or {@link #delete} of any row (records move when a page is evacuated).
 *
 * <p>Node ids are valid until the node is pruned; after that the id may be reused for another node.
 */
public final class RetainedTree
{
    public static final int NO_NODE = RetainedNodes.NO_NODE;

    private static final int ROOT = 0;
    private static final int INITIAL_NODES = 1024;

    private final LevelTable levels;
    private final RetainedNodes nodes = new RetainedNodes(INITIAL_NODES);
    private final RetainedChildren children;
    private final RetainedValues values = new RetainedValues(nodes);
    private int rowCount;

    /** @param levels the level ids shared with the subscription trie; the tree holds one reference per node. */
    public RetainedTree(final LevelTable levels)
    {
        this(levels, RetainedChildren.DEFAULT_SCAN_LIMIT);
    }

    /** With parents of more than {@code scanLimit} children indexed: tests cross small limits often. */
    RetainedTree(final LevelTable levels, final int scanLimit)
    {
        this.levels = levels;
        this.children = new RetainedChildren(nodes, INITIAL_NODES, scanLimit);
        nodes.allocate(NO_NODE, LevelTable.NO_LEVEL);
    }

    /** The root: it has no level, never holds a value and is never pruned; its topic is empty. */
    public int root()
    {
        return ROOT;
    }

    /**
     * Sets the row at a topic, creating the nodes on its path as needed.
     *
     * @param topic UTF-8 topic without wildcards, already validated; empty levels are allowed.
     * @return the row's node, or {@link #NO_NODE} when the payload is empty, which deletes the row
     * as {@link #delete(byte[], int, int)} does.
     */
    public int set(
        final byte[] topic,
        final int topicOffset,
        final int topicLength,
        final byte[] payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (payloadLength == 0)
        {
            delete(topic, topicOffset, topicLength);
            return NO_NODE;
        }
        return setValue(findOrCreate(topic, topicOffset, topicLength), payload, payloadOffset, payloadLength);
    }

    /** Stores a non-empty payload at a live node, the value half of {@link #set}; @return the node. */
    int setValue(final int node, final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        final int old = nodes.valueHandle(node);
        if (old == RetainedValues.NO_VALUE)
        {
            rowCount++;
        }
        else if (values.length(old) == payloadLength)
        {
            System.arraycopy(payload, payloadOffset, values.array(old), values.offset(old), payloadLength);
            return node;
        }
        else
        {
            values.release(node);
        }
        values.store(node, payload, payloadOffset, payloadLength);
        return node;
    }

    /**
     * Deletes the row's value if present and prunes the ancestors left empty.
     *
     * @return true when a value was removed.
     */
    public boolean delete(final byte[] topic, final int offset, final int length)
    {
        final int node = find(topic, offset, length);
        return node != NO_NODE && delete(node);
    }

    /**
     * Deletes a live node's value if present; the node itself and then each ancestor with neither a
     * value nor children is pruned, up to but excluding the root.
     *
     * @return true when a value was removed.
     */
    public boolean delete(final int node)
    {
        if (nodes.valueHandle(node) == RetainedValues.NO_VALUE)
        {
            return false;
        }
        values.release(node);
        rowCount--;
        prune(node);
        return true;
    }

    /** @return the node of the topic (with or without a value), or {@link #NO_NODE}; allocates nothing. */
    public int find(final byte[] topic, final int offset, final int length)
    {
        int node = ROOT;
        int levelStart = offset;
        final int end = offset + length;
        for (int i = offset; i <= end; i++)
        {
            if (i == end || topic[i] == TopicSyntax.SEPARATOR)
            {
                final int levelId = levels.find(topic, levelStart, i - levelStart);
                if (levelId == LevelTable.NO_LEVEL)
                {
                    return NO_NODE;
                }
                node = child(node, levelId);
                if (node == NO_NODE)
                {
                    return NO_NODE;
                }
                levelStart = i + 1;
            }
        }
        return node;
    }

    /** @return the child of a live node at a level id, or {@link #NO_NODE}. */
    public int child(final int node, final int levelId)
    {
        return children.get(node, levelId);
    }

    /** @return the first child of a live node in no particular order, or {@link #NO_NODE}. */
    public int firstChild(final int node)
    {
        return nodes.firstChild(node);
    }

    /** @return the next child of the same parent, or {@link #NO_NODE} after the last one. */
    public int nextSibling(final int node)
    {
        return nodes.nextSibling(node);
    }

    /** @return the parent of a live node, {@link #NO_NODE} for the root. */
    public int parent(final int node)
    {
        return nodes.parent(node);
    }

    /** @return the {@link LevelTable} id of a live node's level, {@link LevelTable#NO_LEVEL} for the root. */
    public int level(final int node)
    {
        return nodes.level(node);
    }

    /** @return true when a live node holds a row's value; false for the root and for inner nodes without one. */
    public boolean hasValue(final int node)
    {
        return nodes.valueHandle(node) != RetainedValues.NO_VALUE;
    }

    /**
     * @return the array holding the value of a live node with a value, from {@link #valueOffset(int)}
     * for {@link #valueLength(int)} bytes (never empty). The array holds other rows' values too: it
     * must not be modified nor kept past the next {@link #set} or {@link #delete} of any row, and
     * never handed to another thread.
     */
    public byte[] valueArray(final int node)
    {
        return values.array(nodes.valueHandle(node));
    }

    /** @return where the value of a live node with a value starts in {@link #valueArray(int)}. */
    public int valueOffset(final int node)
    {
        return values.offset(nodes.valueHandle(node));
    }

    /** @return the length of the value of a live node with a value. */
    public int valueLength(final int node)
    {
        return values.length(nodes.valueHandle(node));
    }

    /** @return a copy of the node's value, or null when it holds none: for tests, it allocates. */
    byte[] copyValue(final int node)
    {
        final int handle = nodes.valueHandle(node);
        if (handle == RetainedValues.NO_VALUE)
        {
            return null;
        }
        final int offset = values.offset(handle);
        return Arrays.copyOfRange(values.array(handle), offset, offset + values.length(handle));
    }

    /**
     * Writes a live node's topic, its levels joined by {@code /}, into {@code dst}; the root's topic is
     * empty.
     *
     * @return the offset after the topic. The caller ensures room for {@link #topicLength(int)} bytes.
     */
    public int writeTopic(final int node, final byte[] dst, final int offset)
    {
        final int end = offset + topicLength(node);
        int position = end;
        for (int n = node; n != ROOT; n = nodes.parent(n))
        {
            final byte[] level = levels.bytes(nodes.level(n));
            position -= level.length;
            System.arraycopy(level, 0, dst, position, level.length);
            if (nodes.parent(n) != ROOT)
            {
                dst[--position] = TopicSyntax.SEPARATOR;
            }
        }
        return end;
    }

    /** @return the length in bytes of a live node's topic as {@link #writeTopic} writes it. */
    public int topicLength(final int node)
    {
        if (node == ROOT)
        {
            return 0;
        }
        int length = -1;
        for (int n = node; n != ROOT; n = nodes.parent(n))
        {
            length += levels.bytes(nodes.level(n)).length + 1;
        }
        return length;
    }

    /** @return the number of nodes holding a value. */
    public int rowCount()
    {
        return rowCount;
    }

    /** @return the number of live nodes, the root included. */
    public int nodeCount()
    {
        return nodes.liveCount();
    }

    /**
     * @return an estimate of the heap bytes held by the tree's node arrays, child index and values,
     * assuming compressed references; the shared {@link LevelTable} is not included.
     */
    public long footprintBytes()
    {
        return nodes.capacityBytes() + children.capacityBytes() + values.capacityBytes();
    }

    /**
     * Makes room for at least {@code nodeCount} nodes, so that a restore of known size does not copy
     * the node arrays at every doubling (fresh memory is paid for in page faults, and the old and new
     * arrays are both live during a copy). The child index is not sized here: a sorted restore builds
     * it once at its exact size, and how many children it holds depends on the tree's shape.
     */
    public void reserve(final int nodeCount)
    {
        nodes.ensureCapacityInParallel(nodeCount);
    }

    private int findOrCreate(final byte[] topic, final int offset, final int length)
    {
        int node = ROOT;
        int levelStart = offset;
        final int end = offset + length;
        for (int i = offset; i <= end; i++)
        {
            if (i == end || topic[i] == TopicSyntax.SEPARATOR)
            {
                node = childOrCreate(node, topic, levelStart, i - levelStart);
                levelStart = i + 1;
            }
        }
        return node;
    }

    /**
     * The child of a live node at one level's bytes, created when missing. A node without children
     * cannot have this one, so the level and child lookups are skipped for it: a new row under a new
     * device creates its whole path without probing the child index for links that cannot exist.
     */
    int childOrCreate(final int node, final byte[] topic, final int levelStart, final int levelLength)
    {
        int levelId;
        if (nodes.firstChild(node) == NO_NODE)
        {
            levelId = levels.acquire(topic, levelStart, levelLength);
        }
        else
        {
            levelId = levels.find(topic, levelStart, levelLength);
            if (levelId == LevelTable.NO_LEVEL)
            {
                levelId = levels.acquire(topic, levelStart, levelLength);
            }
            else
            {
                final int child = children.get(node, levelId);
                if (child != NO_NODE)
                {
                    return child;
                }
                levels.acquire(levelId);
            }
        }
        return children.add(node, levelId);
    }

    /** The value pages, for tests of their invariants. */
    RetainedValues values()
    {
        return values;
    }

    /** The child lookup: the bulk restore appends through it, and tests check its invariants. */
    RetainedChildren children()
    {
        return children;
    }

    /** The level table the tree's level ids belong to. */
    LevelTable levels()
    {
        return levels;
    }

    private void prune(final int from)
    {
        int node = from;
        while (node != ROOT && nodes.valueHandle(node) == RetainedValues.NO_VALUE && nodes.firstChild(node) == NO_NODE)
        {
            final int parent = nodes.parent(node);
            final int levelId = nodes.level(node);
            children.remove(node);
            levels.release(levelId);
            node = parent;
        }
    }
}
