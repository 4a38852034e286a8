package io.mote.engine.match;

import io.mote.engine.Authorizer;
import io.mote.engine.pipeline.CommandBatch;
import io.mote.engine.pipeline.MatchResult;
import io.mote.engine.pipeline.RowTable;
import io.mote.engine.retained.RetainedRestorer;
import io.mote.engine.retained.RetainedTree;
import io.mote.engine.subscription.SubscriptionTrie;
import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.LevelTable;

import java.util.Arrays;

/**
 * The single writer of Mote's state: applies one ring event's commands, in order, to the retained
 * tree and the subscriptions, and writes what follows (rows, deliveries, retained changes, acks)
 * into the event's {@link MatchResult}.
 *
 * <p>Each PUBLISH is its own batch (PROTOCOL.md §1): expanded (wildcard, tree, replace), cut to the
 * last value per topic, authorized whole, applied when retained, then matched row by row. A
 * SUBSCRIBE with sync cuts its snapshot here, between two batches, which is what makes snapshots
 * and updates meet exactly. Owner: the matching thread; nothing here is shared.
 */
public final class Matcher
{
    private final LevelTable levels;
    private final RetainedTree tree;
    /** Used only before the ring starts, by {@link #restore}. */
    private final RetainedRestorer restorer;
    private final SubscriptionTrie trie;
    private final SubscriptionRegistry registry;
    private final Authorizer authorizer;
    private final RetainedWalker walker;
    private final DeliveryCollector collector;
    private final BatchTopics batchTopics = new BatchTopics();
    private final TopicLevels topicLevels = new TopicLevels();
    private final NodeList nodes = new NodeList();
    private byte[] topicScratch = new byte[256];
    /** QoS each retained row was published with, by tree node: MQTT delivers retained rows at min(it, granted). */
    private byte[] retainedQos = new byte[1024];

    private long publishes;
    private long rowsRouted;
    private long deliveries;

    public Matcher(final Authorizer authorizer)
    {
        this.levels = new LevelTable();
        this.tree = new RetainedTree(levels);
        this.restorer = new RetainedRestorer(tree);
        this.trie = new SubscriptionTrie(levels);
        this.registry = new SubscriptionRegistry(trie);
        this.authorizer = authorizer;
        this.walker = new RetainedWalker(tree, levels);
        this.collector = new DeliveryCollector(registry, authorizer);
    }

    /** Applies every command of the batch in order; the result must be clear. */
    public void apply(final CommandBatch commands, final MatchResult result)
    {
        for (int c = 0, n = commands.count(); c < n; c++)
        {
            switch (commands.kind(c))
            {
                case CommandBatch.PUBLISH -> publish(commands, c, result);
                case CommandBatch.SUBSCRIBE -> subscribe(commands, c, result);
                case CommandBatch.UNSUBSCRIBE -> registry.unsubscribe(
                    commands.clientId(c), commands.bytes(), commands.topicOffset(c), commands.topicLength(c));
                case CommandBatch.SESSION_END -> registry.unsubscribeAll(commands.clientId(c));
                default -> throw new IllegalStateException("unknown command kind " + commands.kind(c));
            }
        }
    }

    private void publish(final CommandBatch commands, final int c, final MatchResult result)
    {
        publishes++;
        final int first = result.rowCount();
        final boolean retain = commands.hasFlag(c, CommandBatch.FLAG_RETAIN);
        final int qos = commands.qos(c);
        final int rowFlags = retain ? MatchResult.ROW_RETAIN : 0;
        final byte[] bytes = commands.bytes();
        final int topicOffset = commands.topicOffset(c);
        final int topicLength = commands.topicLength(c);
        final int payloadLength = commands.payloadLength(c);
        final int payloadFlags = payloadLength == 0 ? rowFlags | MatchResult.ROW_DELETE : rowFlags;

        if (commands.hasFlag(c, CommandBatch.FLAG_TREE))
        {
            final RowTable treeRows = commands.rows();
            for (int r = commands.rowStart(c), end = r + commands.rowCount(c); r < end; r++)
            {
                if (treeRows.hasFlag(r, RowTable.DEAD))
                {
                    continue; // its JSON key appeared again later in the same object: that occurrence wins
                }
                result.addRow(bytes, treeRows.topicOffset(r), treeRows.topicLength(r),
                    bytes, treeRows.payloadOffset(r), treeRows.payloadLength(r),
                    treeRows.hasFlag(r, RowTable.DELETE) ? rowFlags | MatchResult.ROW_DELETE : rowFlags, qos);
            }
        }
        else if (commands.hasFlag(c, CommandBatch.FLAG_WILDCARD))
        {
            topicLevels.split(bytes, topicOffset, topicLength);
            nodes.clear();
            walker.expand(bytes, topicLevels, nodes);
            for (int i = 0; i < nodes.size; i++)
            {
                final int row = addNodeRow(result, nodes.nodes[i], bytes, nodes.suffixLevel[i]);
                result.rowPayload(row, bytes, commands.payloadOffset(c), payloadLength, payloadFlags, qos);
            }
        }
        else
        {
            result.addRow(bytes, topicOffset, topicLength, bytes, commands.payloadOffset(c), payloadLength, payloadFlags, qos);
        }

        batchTopics.clear();
        final int last = result.rowCount();
        if (last - first > 1)
        {
            for (int r = first; r < last; r++)
            {
                final int earlier = batchTopics.put(result, r);
                if (earlier >= 0)
                {
                    result.markDead(earlier);
                }
            }
        }
        if (commands.hasFlag(c, CommandBatch.FLAG_REPLACE))
        {
            if (last - first == 1)
            {
                batchTopics.put(result, first);
            }
            addReplaceDeletes(result, bytes, topicOffset, topicLength - 1, rowFlags, qos);
        }

        final String refusal = authorizeWrites(result, commands.clientId(c), first);
        if (refusal != null)
        {
            result.truncateRows(first);
            result.addAck(commands.clientId(c), commands.packetId(c), qos, refusal);
            return;
        }
        if (retain)
        {
            applyRetained(result, first);
        }
        final int firstDelivery = result.deliveryCount();
        route(result, first);
        if (qos > 0)
        {
            result.deliveriesPublishedBy(firstDelivery, commands.clientId(c));
            result.addAck(commands.clientId(c), commands.packetId(c), qos, null);
        }
    }

    private void addReplaceDeletes(final MatchResult result, final byte[] bytes, final int patternOffset, final int patternLength, final int rowFlags, final int qos)
    {
        topicLevels.split(bytes, patternOffset, patternLength);
        nodes.clear();
        walker.replaceScope(bytes, topicLevels, nodes);
        for (int i = 0; i < nodes.size; i++)
        {
            final int node = nodes.nodes[i];
            final int length = tree.topicLength(node);
            final byte[] topic = ensureScratch(length);
            tree.writeTopic(node, topic, 0);
            if (!batchTopics.contains(result, topic, 0, length))
            {
                result.addRow(topic, 0, length, topic, 0, 0, rowFlags | MatchResult.ROW_DELETE, qos);
            }
        }
    }

    private String authorizeWrites(final MatchResult result, final long clientId, final int first)
    {
        final byte[] bytes = result.bytes();
        for (int r = first, end = result.rowCount(); r < end; r++)
        {
            if (!authorizer.mayWrite(clientId, bytes, result.rowTopicOffset(r), result.rowTopicLength(r)))
            {
                return "not authorized to write " + new String(bytes, result.rowTopicOffset(r), result.rowTopicLength(r), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void applyRetained(final MatchResult result, final int first)
    {
        final byte[] bytes = result.bytes();
        for (int r = first, end = result.rowCount(); r < end; r++)
        {
            if (result.rowIsDead(r))
            {
                continue;
            }
            final int topicOffset = result.rowTopicOffset(r);
            final int topicLength = result.rowTopicLength(r);
            if (result.rowIsDelete(r))
            {
                if (tree.delete(bytes, topicOffset, topicLength))
                {
                    result.addChange(r);
                }
            }
            else
            {
                final int node = tree.set(bytes, topicOffset, topicLength, bytes, result.rowPayloadOffset(r), result.rowPayloadLength(r));
                if (node >= retainedQos.length)
                {
                    retainedQos = Arrays.copyOf(retainedQos, Math.max(node + 1, retainedQos.length << 1));
                }
                retainedQos[node] = (byte)result.rowQos(r);
                result.addChange(r);
            }
        }
    }

    private void route(final MatchResult result, final int first)
    {
        collector.beginBatch(result);
        final byte[] bytes = result.bytes();
        for (int r = first, end = result.rowCount(); r < end; r++)
        {
            if (result.rowIsDead(r))
            {
                continue;
            }
            rowsRouted++;
            final int n = topicLevels.resolve(bytes, result.rowTopicOffset(r), result.rowTopicLength(r), levels);
            collector.row(r, result.rowQos(r));
            trie.match(topicLevels.ids, n, topicLevels.dollar, collector);
        }
        final int before = result.deliveryCount();
        collector.endBatch();
        deliveries += result.deliveryCount() - before;
    }

    private void subscribe(final CommandBatch commands, final int c, final MatchResult result)
    {
        final Dialect dialect = Dialect.fromOrdinal(commands.dialect(c));
        final byte[] bytes = commands.bytes();
        final int offset = commands.topicOffset(c);
        final int length = commands.topicLength(c);
        final byte[] filter = Arrays.copyOfRange(bytes, offset, offset + length);
        final SubscriptionRecord record = registry.subscribe(commands.clientId(c), filter, dialect, commands.qos(c));
        if (dialect == Dialect.MOTE && !commands.hasFlag(c, CommandBatch.FLAG_SYNC))
        {
            return;
        }
        topicLevels.split(filter, 0, filter.length);
        nodes.clear();
        walker.snapshot(filter, topicLevels, dialect, nodes);
        result.ensureSpare(nodes.size, nodes.size * 48);
        final int delivery = result.beginDelivery(record.subscriberId(), dialect == Dialect.MOTE ? record : null, true);
        for (int i = 0; i < nodes.size; i++)
        {
            final int node = nodes.nodes[i];
            final int row = addNodeRow(result, node, null, NodeList.NO_SUFFIX);
            result.rowPayload(row, tree.valueArray(node), tree.valueOffset(node), tree.valueLength(node), MatchResult.ROW_RETAIN, retainedQos[node]);
            if (authorizer.mayRead(record.subscriberId(), result.bytes(), result.rowTopicOffset(row), result.rowTopicLength(row)))
            {
                result.addDeliveryRow(delivery, row, Math.min(retainedQos[node], record.qos()));
            }
        }
        deliveries++;
    }

    /**
     * Puts a retained row back as persistence replays it, before the ring starts: a set, or a
     * delete when the payload is empty. Same effect as a retained plain publish, minus routing.
     */
    public void restore(final byte[] topic, final int topicOffset, final int topicLength, final byte[] payload, final int payloadOffset, final int payloadLength, final int qos)
    {
        final int node = restorer.restore(topic, topicOffset, topicLength, payload, payloadOffset, payloadLength);
        if (node == RetainedTree.NO_NODE)
        {
            return;
        }
        if (node >= retainedQos.length)
        {
            retainedQos = Arrays.copyOf(retainedQos, Math.max(node + 1, retainedQos.length << 1));
        }
        retainedQos[node] = (byte)qos;
    }

    /** Ends a restore: builds what it deferred, so that the ring thread starts on a complete tree. */
    public void finishRestore()
    {
        restorer.finish();
    }

    /**
     * Sizes the retained tree's node arrays (and the QoS per node) once for {@code nodes} nodes about
     * to be restored, plus an eighth for what the journal adds after the snapshot, so that it does
     * not double them.
     */
    public void reserveRetained(final int nodes)
    {
        final int capacity = (int)Math.min(Integer.MAX_VALUE - 16, nodes + (nodes >> 3) + 1024L);
        tree.reserve(capacity);
        if (retainedQos.length < capacity)
        {
            retainedQos = Arrays.copyOf(retainedQos, capacity);
        }
    }

    /** A row whose topic is the node's, plus the publish topic's literal levels from {@code suffixLevel} on. */
    private int addNodeRow(final MatchResult result, final int node, final byte[] topic, final int suffixLevel)
    {
        final int nodeLength = tree.topicLength(node);
        int suffixStart = 0;
        int suffixLength = 0;
        if (suffixLevel != NodeList.NO_SUFFIX)
        {
            suffixStart = topicLevels.start[suffixLevel];
            suffixLength = topicLevels.end[topicLevels.count - 1] - suffixStart;
        }
        final int length = suffixLength == 0 ? nodeLength : nodeLength + 1 + suffixLength;
        final int row = result.beginRow(length);
        final byte[] dst = result.bytes();
        final int at = tree.writeTopic(node, dst, result.rowTopicOffset(row));
        if (suffixLength > 0)
        {
            dst[at] = '/';
            System.arraycopy(topic, suffixStart, dst, at + 1, suffixLength);
        }
        return row;
    }

    private byte[] ensureScratch(final int length)
    {
        if (topicScratch.length < length)
        {
            topicScratch = new byte[Math.max(length, topicScratch.length << 1)];
        }
        return topicScratch;
    }

    public RetainedTree retainedTree()
    {
        return tree;
    }

    public LevelTable levelTable()
    {
        return levels;
    }

    public SubscriptionRegistry subscriptions()
    {
        return registry;
    }

    public long publishes()
    {
        return publishes;
    }

    public long rowsRouted()
    {
        return rowsRouted;
    }

    public long deliveries()
    {
        return deliveries;
    }
}
