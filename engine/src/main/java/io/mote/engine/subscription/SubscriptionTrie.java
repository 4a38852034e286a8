package io.mote.engine.subscription;

import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.LevelTable;
import io.mote.engine.topic.TopicSyntax;

import java.util.Arrays;

import static io.mote.engine.subscription.TrieNodes.ANY_DEPTH;
import static io.mote.engine.subscription.TrieNodes.NONE;
import static io.mote.engine.subscription.TrieNodes.ROOT;
import static io.mote.engine.subscription.TrieNodes.STRICTLY_BELOW;

/**
 * Finds the subscriptions whose filters match a topic, in both dialects (PROTOCOL.md §1, §3, §4).
 *
 * <p>Owner: the engine's matching thread (MatchHandler), which also owns the {@link LevelTable}
 * shared with the retained tree. Not thread safe.
 *
 * <p>Shape: a flat-array trie ({@link TrieNodes}) whose exact edges are keyed by interned level id
 * and whose {@code +} and {@code #} edges are direct links. A subscription sits on exactly one node,
 * in an intrusive doubly linked list threaded through arrays indexed by subscription id: linking and
 * unlinking are O(1), no node owns a collection object, and since a node is reached at most once per
 * match call (its path from the root is unique), each subscription is reported at most once. Removing a subscription prunes the nodes nothing needs any more, releasing their
 * level references, so a trie emptied of subscriptions holds only its root and no level.
 *
 * <p>Matching walks the trie depth first with a preallocated explicit stack (topics may have
 * thousands of levels, too deep for recursion on a small thread stack) and allocates nothing.
 */
public final class SubscriptionTrie
{
    private static final int INITIAL_NODES = 1024;
    private static final int INITIAL_SUBSCRIPTIONS = 1024;

    private final TrieNodes nodes;

    /** List a subscription sits in (see {@link TrieNodes}), or {@link TrieNodes#NONE} if absent. */
    private int[] subscriptionList;
    private int[] subscriptionNext;
    private int[] subscriptionPrev;
    private int subscriptionCount;

    /**
     * Pending (node, depth) pairs of a match. A pop at depth d pushes at most two nodes at depth
     * d + 1 and the walk is last-in first-out, so at most one pending node per depth plus two at the
     * deepest exist: the trie's height plus one bounds the size, and {@link #add} keeps the arrays
     * that large so {@link #match} never grows them.
     */
    private int[] pendingNode = new int[16];
    private int[] pendingDepth = new int[16];

    /** @param levels the intern table whose ids callers pass to {@link #match}; the trie holds references in it. */
    public SubscriptionTrie(final LevelTable levels)
    {
        nodes = new TrieNodes(levels, INITIAL_NODES);
        subscriptionList = new int[INITIAL_SUBSCRIPTIONS];
        subscriptionNext = new int[INITIAL_SUBSCRIPTIONS];
        subscriptionPrev = new int[INITIAL_SUBSCRIPTIONS];
        Arrays.fill(subscriptionList, NONE);
    }

    /**
     * Adds a subscription.
     *
     * @param subscriptionId a dense id allocated by the caller, {@code >= 0}, free again once removed.
     * @param filter         UTF-8 filter, already accepted by {@link TopicSyntax#classifyFilter} for
     *                       {@code dialect} and without any sync marker. A filter that was not gives a
     *                       subscription that may never match, but leaves the trie consistent.
     * @param dialect        decides whether a trailing {@code #} also matches its parent level
     *                       ({@link Dialect#MQTT}) or only levels strictly below it ({@link Dialect#MOTE}).
     * @throws IllegalStateException    when the id is already in the trie.
     * @throws IllegalArgumentException when the id is negative.
     */
    public void add(final int subscriptionId, final byte[] filter, final int offset, final int length, final Dialect dialect)
    {
        if (subscriptionId < 0)
        {
            throw new IllegalArgumentException("subscription id must be >= 0: " + subscriptionId);
        }
        ensureSubscriptionCapacity(subscriptionId + 1);
        if (subscriptionList[subscriptionId] != NONE)
        {
            throw new IllegalStateException("subscription " + subscriptionId + " is already in the trie");
        }

        int node = ROOT;
        int levelCount = 0;
        boolean endsWithHash = false;
        final int end = offset + length;
        for (int levelStart = offset, i = offset; i <= end; i++)
        {
            if (i == end || filter[i] == TopicSyntax.SEPARATOR)
            {
                final int levelLength = i - levelStart;
                final boolean single = levelLength == 1;
                if (single && filter[levelStart] == TopicSyntax.PLUS)
                {
                    node = nodes.plusChildOrCreate(node);
                }
                else if (single && filter[levelStart] == TopicSyntax.HASH)
                {
                    node = nodes.hashChildOrCreate(node);
                    endsWithHash = i == end;
                }
                else
                {
                    node = nodes.exactChildOrCreate(node, filter, levelStart, levelLength);
                }
                levelCount++;
                levelStart = i + 1;
            }
        }

        final int kind = endsWithHash && dialect == Dialect.MOTE ? STRICTLY_BELOW : ANY_DEPTH;
        link(subscriptionId, TrieNodes.list(node, kind));
        ensurePendingCapacity(levelCount + 1);
    }

    /**
     * Removes a subscription, then prunes every node left without subscriptions and children,
     * releasing the level reference of each pruned exact edge.
     *
     * @throws IllegalStateException when the id is not in the trie.
     */
    public void remove(final int subscriptionId)
    {
        if (subscriptionId < 0 || subscriptionId >= subscriptionList.length || subscriptionList[subscriptionId] == NONE)
        {
            throw new IllegalStateException("subscription " + subscriptionId + " is not in the trie");
        }
        int node = TrieNodes.nodeOfList(subscriptionList[subscriptionId]);
        unlink(subscriptionId);
        while (node != ROOT && nodes.isUnused(node))
        {
            node = nodes.free(node);
        }
    }

    /**
     * Reports every subscription whose filter matches a topic, each exactly once, and allocates nothing.
     *
     * @param topicLevels the topic's level ids from {@link LevelTable#find}, {@link LevelTable#NO_LEVEL}
     *                    for a level the table does not know (only {@code +} and {@code #} match it).
     * @param levelCount  number of levels used from {@code topicLevels}, at least one.
     * @param dollarTopic true when the topic's first level starts with {@code $}: then filters whose
     *                    first level is a wildcard do not match.
     * @param consumer    told each matching subscription id; must not modify this trie.
     * @return the number of matching subscriptions.
     */
    public int match(final int[] topicLevels, final int levelCount, final boolean dollarTopic, final MatchConsumer consumer)
    {
        if (levelCount < 1 || levelCount > topicLevels.length)
        {
            throw new IllegalArgumentException("levelCount out of range: " + levelCount);
        }
        final int[] pendingNode = this.pendingNode;
        final int[] pendingDepth = this.pendingDepth;
        int matches = 0;
        pendingNode[0] = ROOT;
        pendingDepth[0] = 0;
        int pending = 1;
        while (pending > 0)
        {
            pending--;
            final int node = pendingNode[pending];
            final int depth = pendingDepth[pending];
            final int hash = nodes.hashChild(node);
            if (depth == levelCount)
            {
                matches += report(TrieNodes.list(node, ANY_DEPTH), consumer);
                // An mqtt-dialect a/# also matches a (MQTT 3.1.1 §4.7.1.2); mote ones do not (§3.1).
                if (hash != NONE)
                {
                    matches += report(TrieNodes.list(hash, ANY_DEPTH), consumer);
                }
                continue;
            }

            // The $ rule: a wildcard as a filter's first level never matches a $ topic.
            if (depth > 0 || !dollarTopic)
            {
                if (hash != NONE)
                {
                    matches += report(TrieNodes.list(hash, ANY_DEPTH), consumer);
                    matches += report(TrieNodes.list(hash, STRICTLY_BELOW), consumer);
                }
                final int plus = nodes.plusChild(node);
                if (plus != NONE)
                {
                    pendingNode[pending] = plus;
                    pendingDepth[pending++] = depth + 1;
                }
            }

            final int level = topicLevels[depth];
            if (level != LevelTable.NO_LEVEL)
            {
                final int exact = nodes.exactChild(node, level);
                if (exact != NONE)
                {
                    pendingNode[pending] = exact;
                    pendingDepth[pending++] = depth + 1;
                }
            }
        }
        return matches;
    }

    /** Subscriptions currently in the trie. */
    public int subscriptionCount()
    {
        return subscriptionCount;
    }

    /** Live nodes, the root included: 1 for an empty trie. */
    public int nodeCount()
    {
        return nodes.liveCount();
    }

    private int report(final int list, final MatchConsumer consumer)
    {
        int count = 0;
        int id = nodes.listHead(list);
        while (id != NONE)
        {
            final int next = subscriptionNext[id];
            consumer.onMatch(id);
            count++;
            id = next;
        }
        return count;
    }

    private void link(final int subscriptionId, final int list)
    {
        final int head = nodes.listHead(list);
        subscriptionList[subscriptionId] = list;
        subscriptionPrev[subscriptionId] = NONE;
        subscriptionNext[subscriptionId] = head;
        if (head != NONE)
        {
            subscriptionPrev[head] = subscriptionId;
        }
        nodes.listHead(list, subscriptionId);
        subscriptionCount++;
    }

    private void unlink(final int subscriptionId)
    {
        final int prev = subscriptionPrev[subscriptionId];
        final int next = subscriptionNext[subscriptionId];
        if (prev == NONE)
        {
            nodes.listHead(subscriptionList[subscriptionId], next);
        }
        else
        {
            subscriptionNext[prev] = next;
        }
        if (next != NONE)
        {
            subscriptionPrev[next] = prev;
        }
        subscriptionList[subscriptionId] = NONE;
        subscriptionCount--;
    }

    private void ensureSubscriptionCapacity(final int required)
    {
        final int oldCapacity = subscriptionList.length;
        if (required > oldCapacity)
        {
            final int capacity = Math.max(required, oldCapacity << 1);
            subscriptionList = Arrays.copyOf(subscriptionList, capacity);
            subscriptionNext = Arrays.copyOf(subscriptionNext, capacity);
            subscriptionPrev = Arrays.copyOf(subscriptionPrev, capacity);
            Arrays.fill(subscriptionList, oldCapacity, capacity, NONE);
        }
    }

    private void ensurePendingCapacity(final int required)
    {
        if (required > pendingNode.length)
        {
            final int capacity = Math.max(required, pendingNode.length << 1);
            pendingNode = Arrays.copyOf(pendingNode, capacity);
            pendingDepth = Arrays.copyOf(pendingDepth, capacity);
        }
    }
}
