package io.mote.engine.retained;

import java.util.Arrays;

/**
 * Node storage of a {@link RetainedTree}: one slot per node id across parallel arrays, so a node
 * costs five ints and one bit instead of an object with a header and a child map; its value is a
 * handle into {@link RetainedValues}.
 *
 * <p>Owner: the engine's matching thread, through its {@link RetainedTree}. Not thread safe.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A live node's children form a singly linked list from {@code firstChild} through
 *       {@code nextSibling}, newest first. There is no back link (it was 4 bytes a node, 135 MB of
 *       a 10 M-row restart): {@link #free} takes the previous sibling from its caller, which walks
 *       a short list or keeps back links for long ones ({@link RetainedChildren}).</li>
 *   <li>A free node has {@code parent == FREE}; its {@code nextSibling} links the free list, so
 *       recycling ids needs no array of its own.</li>
 *   <li>Ids at or above {@code highWater} have never been handed out.</li>
 *   <li>A node's {@code childrenIndexed} bit is clear while it has no children and when it is free;
 *       {@link RetainedChildren} sets it and decides what it means (children in the child index).
 *       {@link #free} clears the parent's bit when its last child goes, so an emptied node starts
 *       over as a small parent.</li>
 * </ul>
 *
 * <p>Arrays grow by doubling and never shrink: a retained set that once reached a size tends to
 * reach it again, and shrinking would trade memory for copy churn on the matching thread.
 */
final class RetainedNodes
{
    static final int NO_NODE = -1;

    private static final int FREE = -2;
    private static final int ARRAY_HEADER_BYTES = 16;
    private static final int INT_ARRAYS = 5;

    /** From this many nodes on, {@link #ensureCapacityInParallel} splits the allocation over two threads. */
    private static final int PARALLEL_ALLOCATION_NODES = 1 << 20;

    private int[] parent;
    private int[] level;
    private int[] firstChild;
    private int[] nextSibling;
    /** {@link RetainedValues} handle of each node's value, {@link RetainedValues#NO_VALUE} for none. */
    private int[] valueHandles;
    /** Bit {@code n} of word {@code n >> 6}: node {@code n}'s children are in the child index. */
    private long[] childrenIndexed;
    private int freeHead = NO_NODE;
    private int highWater;
    private int liveCount;

    RetainedNodes(final int initialCapacity)
    {
        final int capacity = Math.max(16, initialCapacity);
        parent = new int[capacity];
        level = new int[capacity];
        firstChild = new int[capacity];
        nextSibling = new int[capacity];
        valueHandles = new int[capacity];
        childrenIndexed = new long[bitWords(capacity)];
    }

    /**
     * Takes a recycled or new id and links it as the first child of {@code parentNode}
     * ({@link #NO_NODE} for the root). The caller owns one reference to {@code levelId}.
     */
    int allocate(final int parentNode, final int levelId)
    {
        final int node;
        if (freeHead != NO_NODE)
        {
            node = freeHead;
            freeHead = nextSibling[node];
        }
        else
        {
            if (highWater == parent.length)
            {
                grow(highWater << 1);
            }
            node = highWater++;
        }
        parent[node] = parentNode;
        level[node] = levelId;
        firstChild[node] = NO_NODE;
        nextSibling[node] = NO_NODE;
        if (parentNode != NO_NODE)
        {
            nextSibling[node] = firstChild[parentNode];
            firstChild[parentNode] = node;
        }
        liveCount++;
        return node;
    }

    /**
     * Unlinks a childless node without a value from its parent and recycles its id.
     *
     * @param prev the sibling before it in its parent's list, {@link #NO_NODE} when it is the first.
     */
    void free(final int node, final int prev)
    {
        final int next = nextSibling[node];
        if (prev != NO_NODE)
        {
            nextSibling[prev] = next;
        }
        else if (parent[node] != NO_NODE)
        {
            firstChild[parent[node]] = next;
            if (next == NO_NODE)
            {
                childrenIndexed(parent[node], false);
            }
        }
        parent[node] = FREE;
        level[node] = NO_NODE;
        childrenIndexed(node, false);
        nextSibling[node] = freeHead;
        freeHead = node;
        liveCount--;
    }

    int parent(final int node)
    {
        return parent[node];
    }

    int level(final int node)
    {
        return level[node];
    }

    int firstChild(final int node)
    {
        return firstChild[node];
    }

    int nextSibling(final int node)
    {
        return nextSibling[node];
    }

    boolean childrenIndexed(final int node)
    {
        return (childrenIndexed[node >>> 6] & (1L << node)) != 0;
    }

    void childrenIndexed(final int node, final boolean indexed)
    {
        if (indexed)
        {
            childrenIndexed[node >>> 6] |= 1L << node;
        }
        else
        {
            childrenIndexed[node >>> 6] &= ~(1L << node);
        }
    }

    int valueHandle(final int node)
    {
        return valueHandles[node];
    }

    void valueHandle(final int node, final int handle)
    {
        valueHandles[node] = handle;
    }

    /** True when a freed id waits for reuse, so the next id handed out may be below {@link #highWater()}. */
    boolean hasFreeIds()
    {
        return freeHead != NO_NODE;
    }

    /** One past the highest id ever handed out. */
    int highWater()
    {
        return highWater;
    }

    /** The parent of every id, {@code FREE} (negative) for free ids: read-only, for bulk indexing. */
    int[] parents()
    {
        return parent;
    }

    /** The level of every id: read-only, for bulk indexing. */
    int[] levels()
    {
        return level;
    }

    int liveCount()
    {
        return liveCount;
    }

    /** Bytes held by the node arrays (not the values they reference). */
    long capacityBytes()
    {
        final long capacity = parent.length;
        return INT_ARRAYS * (ARRAY_HEADER_BYTES + capacity * Integer.BYTES)
            + ARRAY_HEADER_BYTES + (long)childrenIndexed.length * Long.BYTES;
    }

    /** Grows the arrays once to hold at least {@code capacity} nodes. */
    void ensureCapacity(final int capacity)
    {
        if (capacity > parent.length)
        {
            grow(capacity);
        }
    }

    /**
     * As {@link #ensureCapacity}, for the restoring thread before the engine starts: a large size is
     * allocated by two threads at once. What such a size costs is first touching the memory (the
     * JVM zeroing it and the kernel faulting it in), about 3 s per GB on one core of a VM, and the
     * two cores are otherwise idle at that point. The matching thread's own growth never does this.
     */
    void ensureCapacityInParallel(final int capacity)
    {
        if (capacity <= parent.length)
        {
            return;
        }
        if (capacity < PARALLEL_ALLOCATION_NODES)
        {
            grow(capacity);
            return;
        }
        final int[][] half = new int[3][];
        final Thread helper = new Thread(() ->
        {
            half[0] = Arrays.copyOf(parent, capacity);
            half[1] = Arrays.copyOf(level, capacity);
            half[2] = Arrays.copyOf(firstChild, capacity);
        }, "mote-restore-allocation");
        helper.start();
        nextSibling = Arrays.copyOf(nextSibling, capacity);
        valueHandles = Arrays.copyOf(valueHandles, capacity);
        childrenIndexed = Arrays.copyOf(childrenIndexed, bitWords(capacity));
        try
        {
            helper.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sizing the retained tree", ex);
        }
        if (half[2] == null)
        {
            throw new OutOfMemoryError("could not size the retained tree for " + capacity + " nodes");
        }
        // join() orders the helper's writes before these reads.
        parent = half[0];
        level = half[1];
        firstChild = half[2];
    }

    private void grow(final int capacity)
    {
        parent = Arrays.copyOf(parent, capacity);
        level = Arrays.copyOf(level, capacity);
        firstChild = Arrays.copyOf(firstChild, capacity);
        nextSibling = Arrays.copyOf(nextSibling, capacity);
        valueHandles = Arrays.copyOf(valueHandles, capacity);
        childrenIndexed = Arrays.copyOf(childrenIndexed, bitWords(capacity));
    }

    private static int bitWords(final int capacity)
    {
        return (capacity + 63) >>> 6;
    }
}
