package io.mote.transport.server;

import io.mote.engine.Engine;
import io.mote.engine.Outbound;
import io.mote.engine.session.DurableSession;
import io.mote.engine.session.SessionLog;
import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.MqttEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All sessions, by client id (for CONNECT) and by subscriber id (for the engine), and the
 * {@link Outbound} the engine hands its messages to.
 *
 * <p>Threads: {@link #deliver} and {@link #flush} run on the engine's encoding thread, which encodes
 * each message once into a pooled buffer, queues it on the session and wakes every touched session
 * once per run of events (write coalescing). {@link #publishAccepted} and {@link #publishRejected}
 * run on the engine's acknowledgement thread. Session creation and removal run on event loops.
 *
 * <p>QoS 1/2 flow control: a QoS 1/2 message that finds its (online) subscriber congested holds
 * its publisher's connection ({@link HeldPublishers}, {@link PublisherHold}): {@link #deliver}
 * takes the hold, and {@link #publishAccepted}, which comes after it for the same publish,
 * withholds the acknowledgement. Uncongested, this costs a counter read per message and
 * allocates nothing.
 *
 * <p>Persistent sessions are recorded in the {@link SessionLog}: a QoS 1/2 message is recorded in
 * {@link #deliver} before it is queued, and {@link #flush} makes the records durable per the fsync
 * mode; the engine acknowledges the publish only after that, so a PUBACK covers the copies queued
 * for offline and online persistent subscribers alike. Once the log has failed, every PUBACK/PUBREC
 * is refused (the publisher's connection is closed, as for a failed journal) and persistent
 * sessions are refused ({@code ConnectAcceptor}) and disconnected ({@code MqttConnection}).
 */
public final class SessionRegistry implements Outbound
{
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    private final TransportConfig config;
    private final SessionLog log;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final ConcurrentHashMap<String, Session> byClientId = new ConcurrentHashMap<>();
    private final SessionTable byId = new SessionTable();
    /** Encoding thread only: sessions given messages since the last flush. */
    private final List<Session> touched = new ArrayList<>();

    public SessionRegistry(final TransportConfig config)
    {
        this(config, SessionLog.NONE);
    }

    public SessionRegistry(final TransportConfig config, final SessionLog log)
    {
        this.config = config;
        this.log = log;
    }

    @Override
    public void deliver(final long subscriberId, final byte[] topic, final int topicOffset, final int topicLength,
        final byte[] payload, final int payloadOffset, final int payloadLength, final int qos, final boolean retain, final long publisherId)
    {
        final Session session = byId.get(subscriberId);
        if (session == null)
        {
            return;
        }
        final int size = MqttEncoder.publishSize(topicLength, payloadLength, qos);
        if (size > config.maxPacketSize())
        {
            LOG.warn("message for client {} on {} is {} bytes, over the maximum packet size; not sent",
                session.clientId(), new String(topic, topicOffset, topicLength, java.nio.charset.StandardCharsets.UTF_8), size);
            return;
        }
        if (qos == 0)
        {
            if (!session.acceptsQos0())
            {
                return;
            }
            MqttEncoder.encodePublish(session.inbox().gatherBuffer(allocator, size), 0, retain, false, 0, topic, topicOffset, topicLength,
                payload, payloadOffset, payloadLength);
            session.inbox().gatheredOne();
        }
        else
        {
            final boolean record = session.durable() != 0 && session.hasRoomForPending();
            if (record)
            {
                log.queued(session.durable(), session.nextQueuedSeq(), qos, retain, topic, topicOffset, topicLength, payload, payloadOffset, payloadLength);
            }
            final ByteBuf frame = allocator.directBuffer(size, size);
            MqttEncoder.encodePublish(frame, qos, retain, false, 1, topic, topicOffset, topicLength, payload, payloadOffset, payloadLength);
            session.inbox().handOverGathered();
            if (record)
            {
                session.offerRecorded(frame);
            }
            else
            {
                session.offer(frame, qos);
            }
            if (publisherId != 0 && session.holders().congested(session.inbox().size()))
            {
                holdPublisher(session, publisherId);
            }
        }
        if (!session.pendingWake)
        {
            session.pendingWake = true;
            touched.add(session);
        }
    }

    /** Encoding thread: {@code subscriber} is congested; the connection that published to it waits until it drains. */
    private void holdPublisher(final Session subscriber, final long publisherId)
    {
        final Session publisher = byId.get(publisherId);
        final PublisherHold hold = publisher == null ? null : publisher.publisherHold();
        if (hold != null)
        {
            subscriber.holders().hold(hold);
        }
    }

    @Override
    public void flush()
    {
        // Before any acknowledgement of this run's publishes (the journal stage, which acknowledges, waits for this one).
        log.sync();
        for (int i = 0, n = touched.size(); i < n; i++)
        {
            final Session session = touched.get(i);
            session.pendingWake = false;
            session.inbox().handOverGathered();
            session.wake();
        }
        touched.clear();
    }

    @Override
    public void publishAccepted(final long clientId, final int packetId, final int qos)
    {
        final String logFailure = log.failure();
        if (logFailure != null)
        {
            // Like a failed journal: the publish may have been routed to a persistent session whose
            // copy was not recorded, so no PUBACK/PUBREC may promise it (read after the encoder's
            // records of this run, as the acknowledging journal stage runs behind the encoder).
            publishRejected(clientId, packetId, logFailure);
            return;
        }
        final Session session = byId.get(clientId);
        if (session != null && qos == 2 && session.durable() != 0)
        {
            log.inboundHeld(session.durable(), packetId);
            log.sync();
        }
        if (session != null && session.channel() != null)
        {
            final int firstByte = qos == 1 ? FrameBits.PUBACK_FIRST_BYTE : FrameBits.PUBREC_FIRST_BYTE;
            final ByteBuf ack = FrameBits.ack(allocator, firstByte, packetId);
            final PublisherHold hold = session.publisherHold();
            if (hold == null || !hold.withhold(ack))
            {
                // Not against max-pending (QoS 0 here): acknowledgements are no slow consumer's backlog,
                // and withheld ones come back in bursts as long as the publisher's window.
                session.offer(ack, 0);
                session.wake();
            }
        }
    }

    @Override
    public void publishRejected(final long clientId, final int packetId, final String reason)
    {
        final Session session = byId.get(clientId);
        if (session != null)
        {
            LOG.info("client {} publish {} refused: {}", session.clientId(), packetId, reason);
            session.requestClose();
        }
    }

    /**
     * Finds or makes the session for a CONNECT. A clean session, or a persistent one of another
     * dialect (PROTOCOL.md §1), replaces whatever the client id had; the caller ends the replaced
     * one in the engine. Event loop threads; serialized per client id by the map.
     */
    Resumption open(final String clientId, final Dialect dialect, final boolean cleanSession)
    {
        final Session[] replaced = new Session[1];
        final boolean[] resumed = new boolean[1];
        final Session session = byClientId.compute(clientId, (id, existing) ->
        {
            if (existing != null && !cleanSession && existing.persistent() && existing.dialect() == dialect)
            {
                resumed[0] = true;
                return existing;
            }
            replaced[0] = existing;
            final long durable = !cleanSession && log.isDurable() ? log.opened(clientId, dialect) : 0;
            final Session created = new Session(byId.newId(), clientId, dialect, !cleanSession, config, log, durable);
            byId.put(created);
            return created;
        });
        if (replaced[0] != null)
        {
            byId.remove(replaced[0]);
        }
        return new Resumption(session, resumed[0], replaced[0]);
    }

    /** Forgets a session for good (clean session ended, or replaced); releases what it held. */
    void close(final Session session)
    {
        if (session.durable() != 0)
        {
            log.ended(session.durable());
        }
        byClientId.remove(session.clientId(), session);
        byId.remove(session);
        session.discard();
    }

    /**
     * Recreates a persistent session recovered from the session log, offline, with its messages and
     * inbound QoS 2 ids, and puts its subscriptions back into the engine (without retained
     * delivery). Before the engine and the listeners start, from the starting thread.
     */
    public void restore(final DurableSession recovered, final Engine engine)
    {
        final Session session = new Session(byId.newId(), recovered.clientId(), recovered.dialect(), true, config, log, recovered.number());
        byId.put(session);
        byClientId.put(recovered.clientId(), session);
        long nextSeq = 1;
        for (final DurableSession.Message message : recovered.messages())
        {
            final ByteBuf frame;
            if (message.released())
            {
                frame = FrameBits.ack(allocator, FrameBits.PUBREL_FIRST_BYTE, message.packetId());
            }
            else
            {
                final int size = MqttEncoder.publishSize(message.topic().length, message.payload().length, message.qos());
                frame = allocator.directBuffer(size, size);
                MqttEncoder.encodePublish(frame, message.qos(), message.retain(), false, Math.max(1, message.packetId()),
                    message.topic(), 0, message.topic().length, message.payload(), 0, message.payload().length);
            }
            if (message.packetId() != 0)
            {
                session.restoreInFlight(message.packetId(), frame);
            }
            else
            {
                session.restoreQueued(message.seq(), frame);
            }
            nextSeq = Math.max(nextSeq, message.seq() + 1);
        }
        session.restoreNextSeq(nextSeq);
        for (final int packetId : recovered.inboundQos2())
        {
            session.restoreIncomingQos2(packetId);
        }
        for (final DurableSession.Subscription subscription : recovered.subscriptions())
        {
            if (!engine.restoreSubscription(session.id(), recovered.dialect(), subscription.filter(), subscription.qos()))
            {
                LOG.warn("client {}: recovered subscription to '{}' is not a valid filter any more; dropped", recovered.clientId(),
                    new String(subscription.filter(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    SessionLog log()
    {
        return log;
    }

    /** Why the session log stopped recording, or null while it works; see {@link SessionLog#failure()}. */
    String logFailure()
    {
        return log.failure();
    }

    /** Makes what the session log was given so far durable per its fsync mode; before flushing a SUBACK. */
    void syncLog()
    {
        log.sync();
    }

    public int sessionCount()
    {
        return byId.size();
    }

    /** What {@link #open} found: the session to attach, whether it was resumed, and what it replaced. */
    record Resumption(Session session, boolean present, Session replaced)
    {
    }

    /** Ring threads are Netty's kind, so the frames they allocate come from pooled, recycled buffers. */
    @Override
    public Thread newRingThread(final Runnable task, final String name, final long stackBytes)
    {
        return new FastThreadLocalThread(null, task, name, stackBytes);
    }
}
