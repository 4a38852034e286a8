package io.mote.engine.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.FilterKind;
import io.mote.engine.topic.TopicKind;
import io.mote.engine.topic.TopicSyntax;
import io.mote.engine.tree.TreeLimits;
import io.mote.engine.tree.TreePublishParser;
import io.mote.engine.tree.TreePublishRejectedException;
import io.mote.engine.tree.TreeRowSink;

/**
 * How a network thread feeds the engine: gather every command of one socket read (or one
 * event-loop turn), then {@link #flush()} them into ONE ring slot. The multi-producer claim is the
 * ring's cost, so it is paid per read, not per packet.
 *
 * <p>Owner: exactly one thread (a Netty event loop, or a test). Tree publishes are parsed here, on
 * the caller's thread, so a bad one is refused before anything of it is queued, and JSON parsing
 * scales with the network threads instead of loading the single writer.
 */
public final class EngineProducer implements TreeRowSink
{
    /** Enough to amortize the claim (16-64 messages per write is where loopback throughput lives). */
    static final int MAX_COMMANDS_PER_SLOT = 256;
    static final int MAX_BYTES_PER_SLOT = 256 * 1024;

    private final RingBuffer<RingEvent> ring;
    private final TreePublishParser treeParser;
    private CommandBatch batch = new CommandBatch();
    private int treeCommand;

    EngineProducer(final RingBuffer<RingEvent> ring, final TreeLimits limits)
    {
        this.ring = ring;
        this.treeParser = new TreePublishParser(limits);
    }

    /**
     * Queues a PUBLISH. The bytes are copied.
     *
     * @throws InvalidPublishException when the topic breaks its dialect's syntax or a tree publish
     *                                 breaks PROTOCOL.md §2.3; nothing of it is queued
     */
    public void publish(
        final long clientId,
        final Dialect dialect,
        final byte[] topic,
        final int topicOffset,
        final int topicLength,
        final byte[] payload,
        final int payloadOffset,
        final int payloadLength,
        final int qos,
        final boolean retain,
        final int packetId) throws InvalidPublishException
    {
        final TopicKind kind = TopicSyntax.classifyTopic(topic, topicOffset, topicLength, dialect);
        if (!kind.isValid())
        {
            throw new InvalidPublishException(kind.problem());
        }
        int flags = retain ? CommandBatch.FLAG_RETAIN : 0;
        if (kind == TopicKind.WILDCARD)
        {
            flags |= CommandBatch.FLAG_WILDCARD;
        }
        if (kind != TopicKind.TREE)
        {
            final int c = batch.add(CommandBatch.PUBLISH, clientId, dialect.ordinal(), qos, flags, packetId);
            batch.topic(c, topic, topicOffset, topicLength);
            batch.payload(c, payload, payloadOffset, payloadLength);
            return;
        }
        final int mark = batch.bytes.limit();
        treeCommand = batch.add(CommandBatch.PUBLISH, clientId, dialect.ordinal(), qos, flags | CommandBatch.FLAG_TREE, packetId);
        batch.topic(treeCommand, topic, topicOffset, topicLength);
        try
        {
            treeParser.parse(topic, topicOffset, topicLength - 1, payload, payloadOffset, payloadLength, retain, this);
        }
        catch (final TreePublishRejectedException ex)
        {
            batch.dropLast(mark);
            throw new InvalidPublishException("tree publish rejected: " + ex.getMessage());
        }
        if (treeParser.replace())
        {
            batch.flags[treeCommand] |= CommandBatch.FLAG_REPLACE;
        }
    }

    @Override
    public void row(final byte[] topic, final int topicLength, final byte[] payload, final int payloadOffset, final int payloadLength, final boolean delete)
    {
        batch.addRow(treeCommand, topic, topicLength, payload, payloadOffset, payloadLength, delete);
    }

    /** A repeated JSON key: the rows of its earlier value stay in the batch, flagged dead, and the matcher skips them. */
    @Override
    public void withdraw(final int fromRow, final int toRow)
    {
        batch.killRows(treeCommand, fromRow, toRow);
    }

    /**
     * Queues a SUBSCRIBE of one filter, as sent (a mote-dialect filter may start with the sync
     * marker). @return the filter's kind; an invalid one is not queued and the caller answers per
     * PROTOCOL.md (the filter syntax rules of §6).
     */
    public FilterKind subscribe(final long clientId, final Dialect dialect, final byte[] filter, final int offset, final int length, final int grantedQos)
    {
        final boolean sync = TopicSyntax.hasSyncMarker(filter, offset, length, dialect);
        final int start = sync ? offset + 1 : offset;
        final int identityLength = sync ? length - 1 : length;
        final FilterKind kind = TopicSyntax.classifyFilter(filter, start, identityLength, dialect);
        if (kind.isValid())
        {
            final int c = batch.add(CommandBatch.SUBSCRIBE, clientId, dialect.ordinal(), grantedQos, sync ? CommandBatch.FLAG_SYNC : 0, 0);
            batch.topic(c, filter, start, identityLength);
        }
        return kind;
    }

    /** Queues an UNSUBSCRIBE of one filter, as sent; a sync marker is not part of its identity. */
    public FilterKind unsubscribe(final long clientId, final Dialect dialect, final byte[] filter, final int offset, final int length)
    {
        final boolean sync = TopicSyntax.hasSyncMarker(filter, offset, length, dialect);
        final int start = sync ? offset + 1 : offset;
        final int identityLength = sync ? length - 1 : length;
        final FilterKind kind = TopicSyntax.classifyFilter(filter, start, identityLength, dialect);
        if (kind.isValid())
        {
            final int c = batch.add(CommandBatch.UNSUBSCRIBE, clientId, dialect.ordinal(), 0, 0, 0);
            batch.topic(c, filter, start, identityLength);
        }
        return kind;
    }

    /** Queues the end of a session: every subscription of the client goes. */
    public void sessionEnded(final long clientId)
    {
        batch.add(CommandBatch.SESSION_END, clientId, 0, 0, 0, 0);
    }

    /**
     * True when the gathered commands are enough for one ring slot: the caller should flush now,
     * even in the middle of a read. This bounds what one slot holds, and so what the ring can hold
     * (slots keep the largest batch they ever carried), and keeps latency under overload bounded.
     */
    public boolean isFull()
    {
        return batch.count() >= MAX_COMMANDS_PER_SLOT || batch.bytes.limit() >= MAX_BYTES_PER_SLOT;
    }

    /** True when commands are waiting for {@link #flush()}. */
    public boolean hasPending()
    {
        return !batch.isEmpty();
    }

    /**
     * Puts everything queued into one ring slot, waiting for a free slot if the ring is full.
     *
     * @return the slot's sequence, or -1 when nothing was queued
     */
    public long flush()
    {
        if (batch.isEmpty())
        {
            return -1;
        }
        final long sequence = ring.next();
        swapInto(sequence);
        return sequence;
    }

    /**
     * Like {@link #flush()} but never waits: when the ring is full the commands stay queued and
     * the caller should stop reading from its sockets until a later try succeeds (back-pressure).
     *
     * @return the slot's sequence, -1 when nothing was queued, or -2 when the ring is full
     */
    public long tryFlush()
    {
        if (batch.isEmpty())
        {
            return -1;
        }
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return -2;
        }
        swapInto(sequence);
        return sequence;
    }

    private void swapInto(final long sequence)
    {
        try
        {
            final RingEvent event = ring.get(sequence);
            final CommandBatch consumed = event.commands;
            event.commands = batch;
            batch = consumed;
        }
        finally
        {
            ring.publish(sequence);
        }
        batch.clear();
    }
}
