package io.mote.engine.retained;

import io.mote.engine.collections.ChildIndex;

/**
 * Finds a retained node's child by level id: through the sibling list for a parent with few
 * children, through one shared {@link ChildIndex} for the others.
 *
 * <p>Why not index every child: in a typical fleet most nodes are the only child of their parent
 * ({@code site/dev/env/temperature}: two of every four levels), and the index costs 16 bytes a slot
 * at a load of at most 3/4, so indexing only children of large parents makes it a third of the size.
 * A restart pays for every byte it touches. The limit, eight: a device's group of readings
 * ({@code env/temperature, humidity, co2, ...}) commonly has five to eight, and indexing them put
 * most of a 1 M-row fleet's leaves back in the index (footprint benchmark: 115.7 bytes/row at a
 * limit of four, 86.3 at eight); a walk of up to eight siblings, mostly created together and so
 * adjacent in the node arrays, costs about what one probe of a table of hundreds of MB does.
 *
 * <p>Invariants, for every live node {@code p} (outside a deferral, below):
 * <ul>
 *   <li>{@code p}'s {@code childrenIndexed} bit clear: {@code p} has at most {@code scanLimit}
 *       children, none of them in the index.</li>
 *   <li>Bit set: every child of {@code p} is in the index. The bit is set when {@code p} gains its
 *       {@code scanLimit + 1}st child and cleared only when {@code p} loses its last child
 *       ({@link RetainedNodes#free}). Not cleared when the count falls back below the limit: the
 *       entries go with their children, so an indexed parent never costs more than the index cost
 *       before, and a parent whose count hovers at the limit would otherwise move its children in
 *       and out of the index on every other row.</li>
 *   <li>Sibling lists have no back links ({@link RetainedNodes}), so removing a child needs its
 *       previous sibling found another way: walked to, under a parent not indexed (at most
 *       {@code scanLimit} hops); kept in the index entry's auxiliary int (previous sibling + 1, 0
 *       for the first child) under an indexed parent whose {@code backLinked} bit is set, which
 *       implies the {@code childrenIndexed} bit. A bulk restore does not know the previous
 *       siblings and leaves the bit clear; the first removal under such a parent sets every
 *       link in one walk of its children (one index write each), after which removals and
 *       additions keep them at one extra index write each.</li>
 * </ul>
 *
 * <p>Deferral: while a bulk restore appends nodes ({@link #appendUnindexed}), the bits are kept
 * exact but the children appended since {@link #deferIndex()} are put in the index later, in one
 * pass in slot order ({@link #indexDeferred()}). Every lookup and removal ends the deferral first.
 *
 * <p>Owner: the engine's matching thread, through its {@link RetainedTree}. Not thread safe.
 */
final class RetainedChildren
{
    /** Parents with more children than this have them in the index. */
    static final int DEFAULT_SCAN_LIMIT = 8;

    private static final int NO_NODE = RetainedNodes.NO_NODE;
    private static final int NOT_DEFERRED = Integer.MAX_VALUE;

    private final RetainedNodes nodes;
    private final ChildIndex index;
    private final int scanLimit;
    /** Children from this id on are not in the index yet ({@link #NOT_DEFERRED} when all are). */
    private int deferredFrom = NOT_DEFERRED;
    /** Bit {@code p}: the index entries of {@code p}'s children hold their previous siblings. Grown on demand. */
    private long[] backLinked = new long[16];

    RetainedChildren(final RetainedNodes nodes, final int initialCapacity, final int scanLimit)
    {
        this.nodes = nodes;
        this.index = new ChildIndex(initialCapacity);
        this.scanLimit = scanLimit;
    }

    /** @return the child of a live node at a level id, or {@link RetainedNodes#NO_NODE}; allocates nothing. */
    int get(final int parent, final int levelId)
    {
        if (deferredFrom != NOT_DEFERRED)
        {
            indexDeferred();
        }
        if (nodes.childrenIndexed(parent))
        {
            final int child = index.get(parent, levelId);
            return child == ChildIndex.MISSING ? NO_NODE : child;
        }
        for (int child = nodes.firstChild(parent); child != NO_NODE; child = nodes.nextSibling(child))
        {
            if (nodes.level(child) == levelId)
            {
                return child;
            }
        }
        return NO_NODE;
    }

    /**
     * Creates the child of a live node at a level id, known to be absent. The caller owns one
     * reference to {@code levelId}, handed to the node.
     */
    int add(final int parent, final int levelId)
    {
        if (deferredFrom != NOT_DEFERRED)
        {
            indexDeferred();
        }
        final int child = nodes.allocate(parent, levelId);
        if (nodes.childrenIndexed(parent))
        {
            index.put(parent, levelId, child, 0);
            final int next = nodes.nextSibling(child);
            if (next != NO_NODE && backLinked(parent))
            {
                index.setAux(parent, nodes.level(next), child + 1);
            }
        }
        else if (exceedsScanLimit(parent))
        {
            indexAll(parent, NOT_DEFERRED);
        }
        return child;
    }

    /**
     * Creates a child known to be absent, leaving its index entry (if its parent needs one) to
     * {@link #indexDeferred()}: the bulk restore's path. Without a deferral, as {@link #add}.
     */
    int appendUnindexed(final int parent, final int levelId)
    {
        if (deferredFrom == NOT_DEFERRED)
        {
            return add(parent, levelId);
        }
        final int child = nodes.allocate(parent, levelId);
        if (nodes.childrenIndexed(parent))
        {
            // Its entry comes from the bulk pass, without a back link.
            backLinked(parent, false);
        }
        else if (exceedsScanLimit(parent))
        {
            // Children from deferredFrom on are indexed in bulk; only older ones are put now.
            indexAll(parent, deferredFrom);
        }
        return child;
    }

    /** Unlinks a childless node from its parent and the index and frees its id. */
    void remove(final int node)
    {
        if (deferredFrom != NOT_DEFERRED)
        {
            indexDeferred();
        }
        final int parent = nodes.parent(node);
        final int prev;
        if (nodes.childrenIndexed(parent))
        {
            if (!backLinked(parent))
            {
                linkBack(parent);
            }
            prev = index.aux(parent, nodes.level(node), 0) - 1;
            index.remove(parent, nodes.level(node));
            final int next = nodes.nextSibling(node);
            if (next != NO_NODE)
            {
                index.setAux(parent, nodes.level(next), prev + 1);
            }
        }
        else
        {
            prev = previousByWalk(parent, node);
        }
        nodes.free(node, prev);
        if (nodes.firstChild(parent) == NO_NODE)
        {
            backLinked(parent, false);
        }
    }

    /**
     * Children created from now on through {@link #appendUnindexed} are indexed later, in bulk.
     *
     * @return false, deferring nothing, when freed ids wait for reuse: new nodes would not form one
     * range of ids.
     */
    boolean deferIndex()
    {
        if (deferredFrom == NOT_DEFERRED)
        {
            if (nodes.hasFreeIds())
            {
                return false;
            }
            deferredFrom = nodes.highWater();
        }
        return true;
    }

    /** Puts the children appended since {@link #deferIndex()} whose parents are indexed in the index, in one pass. */
    void indexDeferred()
    {
        if (deferredFrom != NOT_DEFERRED)
        {
            final int from = deferredFrom;
            deferredFrom = NOT_DEFERRED;
            index.putAllAbsent(nodes.parents(), nodes.levels(), from, nodes.highWater(), nodes::childrenIndexed);
        }
    }

    /** Whether a parent's children are in the index, for tests of the invariants. */
    boolean indexed(final int parent)
    {
        return nodes.childrenIndexed(parent);
    }

    /**
     * The previous sibling of a child of a back-linked parent as its index entry holds it, for tests
     * of the invariants.
     */
    int indexedPrevious(final int parent, final int child)
    {
        return index.aux(parent, nodes.level(child), 0) - 1;
    }

    boolean backLinked(final int parent)
    {
        final int word = parent >>> 6;
        return word < backLinked.length && (backLinked[word] & (1L << parent)) != 0;
    }

    /** Entries in the child index, for tests of the invariants. */
    int indexSize()
    {
        return index.size();
    }

    int scanLimit()
    {
        return scanLimit;
    }

    long capacityBytes()
    {
        return index.capacityBytes() + 16 + (long)backLinked.length * Long.BYTES;
    }

    /** Whether a parent not indexed has more children than a sibling walk may visit; walks at most one past the limit. */
    private boolean exceedsScanLimit(final int parent)
    {
        int count = 0;
        for (int child = nodes.firstChild(parent); child != NO_NODE; child = nodes.nextSibling(child))
        {
            if (++count > scanLimit)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks a parent indexed and puts its children with ids below {@code below} in the index, back
     * linked when that is all of them.
     */
    private void indexAll(final int parent, final int below)
    {
        nodes.childrenIndexed(parent, true);
        int prev = NO_NODE;
        for (int child = nodes.firstChild(parent); child != NO_NODE; child = nodes.nextSibling(child))
        {
            if (child < below)
            {
                index.put(parent, nodes.level(child), child, prev + 1);
            }
            prev = child;
        }
        backLinked(parent, below == NOT_DEFERRED);
    }

    /** Writes every child's previous sibling into its index entry: once per parent after a bulk restore. */
    private void linkBack(final int parent)
    {
        int prev = NO_NODE;
        for (int child = nodes.firstChild(parent); child != NO_NODE; child = nodes.nextSibling(child))
        {
            index.setAux(parent, nodes.level(child), prev + 1);
            prev = child;
        }
        backLinked(parent, true);
    }

    /** The sibling before {@code node} under a parent not indexed: at most {@code scanLimit} hops. */
    private int previousByWalk(final int parent, final int node)
    {
        int prev = NO_NODE;
        for (int child = nodes.firstChild(parent); child != node; child = nodes.nextSibling(child))
        {
            prev = child;
        }
        return prev;
    }

    private void backLinked(final int parent, final boolean linked)
    {
        final int word = parent >>> 6;
        if (linked)
        {
            if (word >= backLinked.length)
            {
                backLinked = java.util.Arrays.copyOf(backLinked, Math.max(word + 1, backLinked.length << 1));
            }
            backLinked[word] |= 1L << parent;
        }
        else if (word < backLinked.length)
        {
            backLinked[word] &= ~(1L << parent);
        }
    }
}
