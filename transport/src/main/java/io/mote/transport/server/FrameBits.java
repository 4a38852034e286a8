package io.mote.transport.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Reads and patches the few fields the session needs in already-encoded frames, so that a message
 * is encoded once (by the engine's thread) and only its packet id and DUP bit change later.
 *
 * <pre>
 *  byte 0       : type (4 bits) | DUP | QoS (2 bits) | RETAIN
 *  bytes 1..4   : remaining length, 1 to 4 bytes of 7 bits, low group first
 *  PUBLISH      : topic length (2) | topic | packet id (2, QoS 1/2 only) | payload
 *  PUBACK etc.  : packet id (2)
 * </pre>
 */
final class FrameBits
{
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int DUP = 0x08;
    static final int PUBACK_FIRST_BYTE = 0x40;
    static final int PUBREC_FIRST_BYTE = 0x50;
    static final int PUBREL_FIRST_BYTE = 0x62;

    private FrameBits()
    {
    }

    static int type(final ByteBuf frame)
    {
        return (frame.getByte(frame.readerIndex()) & 0xF0) >>> 4;
    }

    static int qos(final ByteBuf frame)
    {
        return (frame.getByte(frame.readerIndex()) & 0x06) >>> 1;
    }

    /** Writes the packet id of a QoS 1/2 PUBLISH in place. */
    static void setPacketId(final ByteBuf frame, final int packetId)
    {
        final int start = frame.readerIndex();
        int at = start + 1;
        while ((frame.getByte(at) & 0x80) != 0)
        {
            at++;
        }
        at++;
        final int topicLength = frame.getUnsignedShort(at);
        frame.setShort(at + 2 + topicLength, packetId);
    }

    static int ackPacketId(final ByteBuf frame)
    {
        return frame.getUnsignedShort(frame.readerIndex() + 2);
    }

    /** @return how many whole frames {@code frames} holds from its reader index (a gathered QoS 0 item). */
    static int countFrames(final ByteBuf frames)
    {
        int count = 0;
        int at = frames.readerIndex();
        final int end = frames.writerIndex();
        while (at < end)
        {
            int remaining = 0;
            int shift = 0;
            int b;
            at++;
            do
            {
                b = frames.getByte(at++);
                remaining |= (b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            at += remaining;
            count++;
        }
        return count;
    }

    /** A four-byte PUBACK, PUBREC, PUBREL or PUBCOMP. */
    static ByteBuf ack(final ByteBufAllocator allocator, final int firstByte, final int packetId)
    {
        final ByteBuf frame = allocator.buffer(4, 4);
        frame.writeByte(firstByte);
        frame.writeByte(2);
        frame.writeShort(packetId);
        return frame;
    }
}
