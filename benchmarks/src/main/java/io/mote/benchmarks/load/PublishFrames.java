package io.mote.benchmarks.load;

import io.mote.transport.codec.MqttEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the PUBLISH frames of one publisher, each carrying two send timestamps (System.nanoTime of
 * this JVM): the intended send time, from which fixed-rate latency is measured without coordinated
 * omission, and the actual send time, for the uncorrected figure.
 *
 * <p>Plain frames put both as big-endian longs in the first 16 payload bytes. Tree frames (mote
 * dialect) are a JSON object of {@code batch} rows {@code t0..tN}; rows t0 and t1 hold the two
 * timestamps as 19 decimal digits, because a mote subscriber receives JSON, not the raw payload.
 * The same rows sent plainly are the topics {@code PREFIX/t0..tN}, so both forms write identical rows.
 *
 * <p>Traffic publishers cycle through the same topics ({@code cycle}); the snapshot loader moves to a
 * new group {@code PREFIX/gK} every batch, so that it retains distinct rows. Confined to one event loop.
 */
final class PublishFrames
{
    static final int STAMP_DIGITS = 19;
    private static final byte[] T0 = "\"t0\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] T1 = "\"t1\":\"".getBytes(StandardCharsets.US_ASCII);

    private final String prefix;
    private final boolean cycle;
    private final boolean tree;
    private final int batch;
    private final int qos;
    private final boolean retain;
    /** Plain topics of a cycling publisher, built once so that the hot path allocates only the frame. */
    private final byte[][] plainTopics;
    private final byte[] treeTopic;
    private final byte[] payload;
    private final int t0Offset;
    private final int t1Offset;

    PublishFrames(final String prefix, final boolean cycle, final boolean tree, final int batch, final int payloadSize,
        final int qos, final boolean retain)
    {
        this.prefix = prefix;
        this.cycle = cycle;
        this.tree = tree;
        this.batch = batch;
        this.qos = qos;
        this.retain = retain;
        this.treeTopic = (prefix + "/").getBytes(StandardCharsets.UTF_8);
        this.plainTopics = new byte[cycle && !tree ? batch : 0][];
        for (int i = 0; i < plainTopics.length; i++)
        {
            plainTopics[i] = (prefix + "/t" + i).getBytes(StandardCharsets.UTF_8);
        }
        if (tree)
        {
            final String filler = "x".repeat(payloadSize);
            final String zeros = "0".repeat(STAMP_DIGITS);
            final StringBuilder json = new StringBuilder("{");
            for (int i = 0; i < batch; i++)
            {
                json.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":\"").append(i < 2 ? zeros : filler).append('"');
            }
            this.payload = json.append('}').toString().getBytes(StandardCharsets.US_ASCII);
            this.t0Offset = indexOf(payload, T0) + T0.length;
            this.t1Offset = batch > 1 ? indexOf(payload, T1) + T1.length : -1;
        }
        else
        {
            this.payload = new byte[payloadSize];
            this.t0Offset = 0;
            this.t1Offset = 8;
        }
    }

    int rowsPerFrame()
    {
        return tree ? batch : 1;
    }

    /** Frame number {@code index} of this publisher, stamped with the two send times. */
    ByteBuf frame(final ByteBufAllocator alloc, final long index, final int packetId, final long intendedNanos, final long actualNanos)
    {
        final byte[] topic;
        if (tree)
        {
            topic = cycle ? treeTopic : (prefix + "/g" + index + "/").getBytes(StandardCharsets.UTF_8);
            writeDigits(t0Offset, intendedNanos);
            if (t1Offset >= 0)
            {
                writeDigits(t1Offset, actualNanos);
            }
        }
        else
        {
            topic = cycle ? plainTopics[(int)(index % batch)]
                : (prefix + "/g" + index / batch + "/t" + index % batch).getBytes(StandardCharsets.UTF_8);
            writeLong(0, intendedNanos);
            writeLong(8, actualNanos);
        }
        final ByteBuf frame = alloc.buffer(MqttEncoder.publishSize(topic.length, payload.length, qos));
        MqttEncoder.encodePublish(frame, qos, retain, false, packetId, topic, 0, topic.length, payload, 0, payload.length);
        return frame;
    }

    /** Where a stamp's digits start in a tree payload as a mote subscriber receives it, or -1. */
    static int stampOffset(final ByteBuf json, final boolean actual)
    {
        final byte[] key = actual ? T1 : T0;
        final int end = json.writerIndex() - key.length - STAMP_DIGITS;
        outer:
        for (int i = json.readerIndex(); i <= end; i++)
        {
            for (int j = 0; j < key.length; j++)
            {
                if (json.getByte(i + j) != key[j])
                {
                    continue outer;
                }
            }
            return i + key.length;
        }
        return -1;
    }

    static long parseDigits(final ByteBuf buf, final int at)
    {
        long value = 0;
        for (int i = 0; i < STAMP_DIGITS; i++)
        {
            value = value * 10 + (buf.getByte(at + i) - '0');
        }
        return value;
    }

    private void writeDigits(final int offset, final long value)
    {
        long rest = value;
        for (int i = STAMP_DIGITS - 1; i >= 0; i--)
        {
            payload[offset + i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
    }

    private void writeLong(final int offset, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            payload[offset + i] = (byte)(value >>> (56 - 8 * i));
        }
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("stamp key missing from tree template");
    }
}
