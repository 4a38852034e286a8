package io.mote.transport.server;

import io.mote.engine.session.SessionLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.collection.IntObjectHashMap;

/**
 * The QoS 1/2 exchanges the server started with one client and the client has not completed, by
 * packet id: each PUBLISH until its PUBACK (QoS 1) or PUBREC (QoS 2), then the PUBREL that replaces
 * it until PUBCOMP. At most {@code inflightWindow} of them; a packet id is never reused while in
 * here. Holds one reference to each frame it keeps, and records each step in the session log when
 * the session is durable.
 *
 * <p>Threads: not thread-safe. Used under its {@link Session}'s monitor by the attached connection's
 * loop, and by the restoring thread before the listeners and the engine start.
 *
 * <p>Message numbers (seq): QoS 1/2 messages leave the session's inbox in the order the encoding
 * thread numbered them, so {@link #send} numbers them again by counting, from {@link #nextSeq}.
 */
final class InflightWindow
{
    private final IntObjectHashMap<ByteBuf> frames = new IntObjectHashMap<>();
    private final int capacity;
    private final SessionLog log;
    /** The session's number in {@code log}, or 0 when it is not recorded. */
    private final long durable;
    private int nextPacketId = 1;
    /** The seq of the next QoS 1/2 message to leave the inbox. */
    private long sentSeq = 1;

    InflightWindow(final int capacity, final SessionLog log, final long durable)
    {
        this.capacity = capacity;
        this.log = log;
        this.durable = durable;
    }

    boolean isFull()
    {
        return frames.size() >= capacity;
    }

    /** The next QoS 1/2 PUBLISH to leave the inbox: gets a free packet id, written into it, and is kept until completed. */
    void send(final ByteBuf frame)
    {
        final int packetId = nextFreePacketId();
        FrameBits.setPacketId(frame, packetId);
        frames.put(packetId, frame);
        if (durable != 0)
        {
            log.packetIdAssigned(durable, sentSeq++, packetId);
        }
    }

    /** Sends again what the client has not acknowledged, DUP set on PUBLISH, as MQTT 3.1.1 §4.4 asks on resume. */
    void resend(final Channel channel)
    {
        for (final IntObjectHashMap.PrimitiveEntry<ByteBuf> entry : frames.entries())
        {
            final ByteBuf frame = entry.value();
            if (FrameBits.type(frame) == FrameBits.PUBLISH)
            {
                frame.setByte(0, frame.getByte(0) | FrameBits.DUP);
            }
            channel.write(frame.retainedDuplicate(), channel.voidPromise());
        }
        channel.flush();
    }

    /** The client acknowledged a QoS 1 message (PUBACK) or completed a QoS 2 one (PUBCOMP). */
    void acknowledged(final int packetId)
    {
        final ByteBuf frame = frames.remove(packetId);
        if (frame != null)
        {
            if (durable != 0)
            {
                log.completed(durable, packetId);
            }
            frame.release();
        }
    }

    /**
     * The client received a QoS 2 message (PUBREC): from now on PUBREL is what is in flight.
     *
     * @return the PUBREL to write (a reference the caller owns), or null for an unknown id
     */
    ByteBuf received(final int packetId, final ByteBufAllocator allocator)
    {
        final ByteBuf frame = frames.get(packetId);
        if (frame == null)
        {
            return null;
        }
        if (durable != 0 && FrameBits.type(frame) == FrameBits.PUBLISH)
        {
            log.received(durable, packetId);
        }
        final ByteBuf pubrel = FrameBits.ack(allocator, FrameBits.PUBREL_FIRST_BYTE, packetId);
        frames.put(packetId, pubrel.retain());
        frame.release();
        return pubrel;
    }

    /** Restoring thread: a recovered message that had been sent, back under its packet id (a PUBLISH, or a PUBREL once PUBRECed). */
    void restore(final int packetId, final ByteBuf frame)
    {
        frames.put(packetId, frame);
    }

    /** Restoring thread: the seq of the next message to leave the inbox. */
    void nextSeq(final long seq)
    {
        sentSeq = seq;
    }

    /** Releases every frame: the session is gone for good. */
    void releaseAll()
    {
        for (final ByteBuf frame : frames.values())
        {
            frame.release();
        }
        frames.clear();
    }

    private int nextFreePacketId()
    {
        int candidate = nextPacketId;
        while (frames.containsKey(candidate))
        {
            candidate = candidate == 65_535 ? 1 : candidate + 1;
        }
        nextPacketId = candidate == 65_535 ? 1 : candidate + 1;
        return candidate;
    }
}
