package io.mote.engine.retained;

import io.mote.engine.topic.LevelTable;
import io.mote.engine.topic.TopicSyntax;

import java.util.Arrays;

/**
 * Puts rows back into a {@link RetainedTree} at start-up, yielding exactly the tree that
 * {@link RetainedTree#set} and {@link RetainedTree#delete} of the same rows in the same order would.
 *
 * <p>Why a separate path: a restart replays millions of rows, and one {@code set} costs a child-index
 * probe per level, each a cache miss on a table of hundreds of MB. Two things avoid them:
 * <ul>
 *   <li><b>The previous row's path.</b> The restorer keeps the node, level id and end offset of
 *       each level of the previous row and resumes from the deepest level the two topics share,
 *       found with one vectorised byte comparison.</li>
 *   <li><b>Sorted mode.</b> While the rows arrive in ascending byte order into a tree that was empty
 *       (a snapshot in tree order), a child at the topic's prefix {@code X} can only exist if an
 *       earlier row started with {@code X}; sorted, so did the previous row. So where the previous
 *       row does not reach that far the child is known absent, and new nodes are appended without
 *       touching the child index, which is then built in one pass in slot order
 *       ({@link #finish()}). Where it does, the few newest siblings are scanned
 *       ({@link #recentChild}). The first row out of order, or a delete, builds the
 *       index and continues in general mode (ordinary lookups), as for a scattered snapshot or the
 *       journal.</li>
 * </ul>
 *
 * <p>Invariant: {@code path*[0..depth)} describe {@code previous}, and its nodes are live; a delete
 * may prune them, so it empties the path. Allocates only when a topic is deeper or longer than any
 * before it.
 *
 * <p>Owner: the thread restoring before the engine's matching thread starts. Not thread safe.
 */
public final class RetainedRestorer
{
    private final RetainedTree tree;
    private final LevelTable levels;
    private byte[] previous = new byte[256];
    private int previousLength;
    /** Node of the previous row at each depth. */
    private int[] pathNodes = new int[16];
    /** Level id of the previous row at each depth. */
    private int[] pathLevels = new int[16];
    /** Start offset in {@code previous} of the level at each depth. */
    private int[] pathStarts = new int[16];
    /** End offset in {@code previous} of the level at each depth (a separator or the topic's end). */
    private int[] pathEnds = new int[16];
    private int depth;
    private boolean started;
    private boolean sorted;

    public RetainedRestorer(final RetainedTree tree)
    {
        this.tree = tree;
        this.levels = tree.levels();
    }

    /**
     * Sets the row, or deletes it when the payload is empty, as {@link RetainedTree#set} does.
     *
     * @return the row's node, or {@link RetainedTree#NO_NODE} for a delete.
     */
    public int restore(final byte[] topic, final int topicOffset, final int topicLength,
        final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        if (!started)
        {
            started = true;
            sorted = tree.nodeCount() == 1 && tree.children().deferIndex();
        }
        if (payloadLength == 0)
        {
            leaveSortedMode();
            depth = 0;
            tree.delete(topic, topicOffset, topicLength);
            return RetainedTree.NO_NODE;
        }
        int mismatch = topicLength;
        if (depth > 0)
        {
            mismatch = Arrays.mismatch(previous, 0, previousLength, topic, topicOffset, topicOffset + topicLength);
            mismatch = mismatch < 0 ? topicLength : mismatch;
            if (sorted && !ascending(mismatch, topic, topicOffset, topicLength))
            {
                leaveSortedMode();
            }
        }
        final int previousDepth = depth;
        final int shared = sharedLevels(mismatch, topic, topicOffset, topicLength);
        int node = shared == 0 ? tree.root() : pathNodes[shared - 1];
        int levelStart = shared == 0 ? topicOffset : topicOffset + pathEnds[shared - 1] + 1;
        depth = shared;
        final int end = topicOffset + topicLength;
        for (int i = levelStart; i <= end; i++)
        {
            if (i == end || topic[i] == TopicSyntax.SEPARATOR)
            {
                final int levelEnd = i - topicOffset;
                node = sorted
                    ? appendSorted(node, topic, levelStart, i - levelStart, mismatch >= levelEnd, previousDepth)
                    : tree.childOrCreate(node, topic, levelStart, i - levelStart);
                push(node, tree.level(node), levelStart - topicOffset, levelEnd);
                levelStart = i + 1;
            }
        }
        remember(topic, topicOffset, topicLength);
        return tree.setValue(node, payload, payloadOffset, payloadLength);
    }

    /** Indexes what sorted mode appended; the tree answers every lookup again. */
    public void finish()
    {
        leaveSortedMode();
        depth = 0;
    }

    private void leaveSortedMode()
    {
        sorted = false;
        tree.children().indexDeferred();
    }

    /**
     * The child at the level being added at {@code depth}, in sorted mode. {@code mayExist} is false
     * when the previous row does not start with this topic up to the level's end, which (sorted)
     * proves the child absent. A new level equal to the previous row's level at the same depth
     * reuses its id instead of hashing it again (devices under one site share their level names).
     */
    private int appendSorted(final int parent, final byte[] topic, final int levelStart, final int levelLength, final boolean mayExist, final int previousDepth)
    {
        if (mayExist)
        {
            final int child = recentChild(parent, topic, levelStart, levelLength);
            if (child != RetainedTree.NO_NODE)
            {
                return child;
            }
        }
        final int levelId;
        if (depth < previousDepth && sameAsPreviousLevel(depth, topic, levelStart, levelLength))
        {
            levelId = pathLevels[depth];
            levels.acquire(levelId);
        }
        else
        {
            levelId = levels.acquire(topic, levelStart, levelLength);
        }
        return tree.children().appendUnindexed(parent, levelId);
    }

    /**
     * The child at one level's bytes among the most recently created children of a node, in sorted
     * mode: siblings are scanned newest first while their level starts with the wanted bytes,
     * because (topics sorted) every sibling created after the wanted one has such a level; the first
     * that does not ends the search.
     */
    private int recentChild(final int node, final byte[] topic, final int levelStart, final int levelLength)
    {
        for (int child = tree.firstChild(node); child != RetainedTree.NO_NODE; child = tree.nextSibling(child))
        {
            final byte[] level = levels.bytes(tree.level(child));
            if (level.length < levelLength || !Arrays.equals(level, 0, levelLength, topic, levelStart, levelStart + levelLength))
            {
                return RetainedTree.NO_NODE;
            }
            if (level.length == levelLength)
            {
                return child;
            }
        }
        return RetainedTree.NO_NODE;
    }

    private boolean sameAsPreviousLevel(final int at, final byte[] topic, final int levelStart, final int levelLength)
    {
        // Entries at 'at' and deeper still describe the previous row; shallower ones are the new row's.
        final int previousStart = pathStarts[at];
        return pathEnds[at] - previousStart == levelLength
            && Arrays.equals(previous, previousStart, pathEnds[at], topic, levelStart, levelStart + levelLength);
    }

    /** Whether the topic sorts at or after the previous one, as unsigned bytes. */
    private boolean ascending(final int mismatch, final byte[] topic, final int offset, final int length)
    {
        if (mismatch == previousLength)
        {
            return true;
        }
        return mismatch < length && (topic[offset + mismatch] & 0xFF) > (previous[mismatch] & 0xFF);
    }

    /**
     * How many whole leading levels the topic shares with the previous one. A level of the previous
     * topic ending at {@code e} is shared when both topics agree on every byte before {@code e} and
     * the new topic's level ends there too (at its end or at a separator).
     */
    private int sharedLevels(final int mismatch, final byte[] topic, final int offset, final int length)
    {
        int shared = 0;
        while (shared < depth)
        {
            final int levelEnd = pathEnds[shared];
            final boolean same = levelEnd < mismatch
                || levelEnd == mismatch && (levelEnd == length || topic[offset + levelEnd] == TopicSyntax.SEPARATOR);
            if (!same)
            {
                break;
            }
            shared++;
        }
        return shared;
    }

    private void push(final int node, final int levelId, final int levelStart, final int levelEnd)
    {
        if (depth == pathNodes.length)
        {
            pathNodes = Arrays.copyOf(pathNodes, depth << 1);
            pathLevels = Arrays.copyOf(pathLevels, depth << 1);
            pathStarts = Arrays.copyOf(pathStarts, depth << 1);
            pathEnds = Arrays.copyOf(pathEnds, depth << 1);
        }
        pathNodes[depth] = node;
        pathLevels[depth] = levelId;
        pathStarts[depth] = levelStart;
        pathEnds[depth] = levelEnd;
        depth++;
    }

    private void remember(final byte[] topic, final int offset, final int length)
    {
        if (previous.length < length)
        {
            previous = new byte[Math.max(length, previous.length << 1)];
        }
        System.arraycopy(topic, offset, previous, 0, length);
        previousLength = length;
    }
}
