package io.mote.persistence;

import io.mote.engine.session.DurableSession;
import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.TopicSyntax;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.mote.persistence.SessionRecordDescriptor.*;

/**
 * Folds session-log records, in log order, into the live persistent sessions. Records of a number
 * that was never opened or has ended are ignored: a message may be queued for a session on the
 * encoding thread while an event loop ends it. A second OPENED for a client id supersedes the
 * first, whose ENDED a crash may have kept from the log.
 *
 * <p>Owner: the recovering thread.
 */
final class SessionFold
{
    private final Long2ObjectHashMap<State> live = new Long2ObjectHashMap<>();
    private final Map<String, Long> byClientId = new HashMap<>();
    private long lastNumber;

    /** One record, its fields already checked against {@link SessionRecordDescriptor}. */
    void apply(final int kind, final int qosOrDialect, final int flags, final long number, final long seq, final int packetId,
        final byte[] text, final byte[] payload)
    {
        lastNumber = Math.max(lastNumber, number);
        if (kind == KIND_OPENED)
        {
            final String clientId = new String(text, StandardCharsets.UTF_8);
            final Long previous = byClientId.put(clientId, number);
            if (previous != null)
            {
                live.remove(previous.longValue());
            }
            live.put(number, new State(number, clientId, Dialect.fromOrdinal(qosOrDialect)));
            return;
        }
        final State state = live.get(number);
        if (state == null)
        {
            return;
        }
        switch (kind)
        {
            case KIND_ENDED ->
            {
                live.remove(number);
                byClientId.remove(state.clientId, number);
            }
            case KIND_SUBSCRIBED -> state.subscriptions.put(state.identity(text), new DurableSession.Subscription(text, qosOrDialect));
            case KIND_UNSUBSCRIBED -> state.subscriptions.remove(state.identity(text));
            case KIND_QUEUED -> state.messages.put(seq, new Pending(seq, qosOrDialect, (flags & FLAG_RETAIN) != 0, text, payload));
            case KIND_PACKET_ID ->
            {
                final Pending message = state.messages.get(seq);
                if (message != null)
                {
                    message.packetId = packetId;
                    state.byPacketId.put(packetId, message);
                }
            }
            case KIND_RECEIVED ->
            {
                final Pending message = state.byPacketId.get(packetId);
                if (message != null)
                {
                    message.released = true;
                }
            }
            case KIND_COMPLETED ->
            {
                final Pending message = state.byPacketId.remove(packetId);
                if (message != null)
                {
                    state.messages.remove(message.seq);
                }
            }
            case KIND_INBOUND_HELD ->
            {
                if (!state.inbound.containsInt(packetId))
                {
                    state.inbound.addInt(packetId);
                }
            }
            case KIND_INBOUND_RELEASED -> state.inbound.removeInt(packetId);
            default -> throw new IllegalArgumentException("unknown session record kind " + kind);
        }
    }

    /** The highest session number seen, live or not. */
    long lastNumber()
    {
        return lastNumber;
    }

    /**
     * The live sessions by number. Each session's messages are renumbered from 1: those already
     * sent (with a packet id) first, then those never sent, each group in its old order, so the
     * never-sent ones have consecutive numbers, as the transport counts them out of its inbox.
     */
    List<DurableSession> sessions()
    {
        return sessions(true);
    }

    /**
     * The live sessions as they are now, each message under the seq it was recorded with, by
     * ascending seq: for a compaction while the broker runs, whose later records use those seqs.
     */
    List<DurableSession> liveSessions()
    {
        return sessions(false);
    }

    private List<DurableSession> sessions(final boolean renumber)
    {
        final List<State> states = new ArrayList<>(live.values());
        states.sort(Comparator.comparingLong(state -> state.number));
        final List<DurableSession> sessions = new ArrayList<>(states.size());
        for (final State state : states)
        {
            final List<Pending> ordered = new ArrayList<>(state.messages.values());
            if (renumber)
            {
                ordered.sort(Comparator.comparing((Pending message) -> message.packetId == 0).thenComparingLong(message -> message.seq));
            }
            final List<DurableSession.Message> messages = new ArrayList<>(ordered.size());
            long seq = 1;
            for (final Pending message : ordered)
            {
                messages.add(new DurableSession.Message(renumber ? seq++ : message.seq, message.qos, message.retain, message.topic,
                    message.payload, message.packetId, message.released));
            }
            sessions.add(new DurableSession(state.number, state.clientId, state.dialect,
                List.copyOf(state.subscriptions.values()), List.copyOf(messages), state.inbound.toIntArray()));
        }
        return sessions;
    }

    private static final class State
    {
        final long number;
        final String clientId;
        final Dialect dialect;
        /** By filter identity (without sync marker), in the order first subscribed. */
        final LinkedHashMap<ByteBuffer, DurableSession.Subscription> subscriptions = new LinkedHashMap<>();
        final TreeMap<Long, Pending> messages = new TreeMap<>();
        final Int2ObjectHashMap<Pending> byPacketId = new Int2ObjectHashMap<>();
        final IntArrayList inbound = new IntArrayList();

        State(final long number, final String clientId, final Dialect dialect)
        {
            this.number = number;
            this.clientId = clientId;
            this.dialect = dialect;
        }

        ByteBuffer identity(final byte[] filter)
        {
            final int start = TopicSyntax.hasSyncMarker(filter, 0, filter.length, dialect) ? 1 : 0;
            return ByteBuffer.wrap(Arrays.copyOfRange(filter, start, filter.length));
        }
    }

    private static final class Pending
    {
        final long seq;
        final int qos;
        final boolean retain;
        final byte[] topic;
        final byte[] payload;
        int packetId;
        boolean released;

        Pending(final long seq, final int qos, final boolean retain, final byte[] topic, final byte[] payload)
        {
            this.seq = seq;
            this.qos = qos;
            this.retain = retain;
            this.topic = topic;
            this.payload = payload;
        }
    }
}
