package io.mote.persistence;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static io.mote.persistence.SnapshotDescriptor.HEADER_LENGTH;
import static io.mote.persistence.SnapshotDescriptor.ROW_HEADER_LENGTH;
import static io.mote.persistence.SnapshotDescriptor.TRAILER_LENGTH;

/**
 * Reads {@link SnapshotDescriptor} files. Nothing reaches a {@link RowSink} before the whole file
 * has been checked (header, every row's bounds, then the checksum), because the sink is usually
 * the engine and rows cannot be taken back out of it: a corrupt snapshot is refused whole.
 *
 * <p>One instance per reading thread (it holds the row scratch).
 */
public final class SnapshotReader
{
    private static final int BUFFER_BYTES = 1 << 20;

    private byte[] topic = new byte[256];
    private byte[] previousTopic = new byte[256];
    private byte[] payload = new byte[4096];

    /**
     * What a valid snapshot holds.
     *
     * @param treeNodes the topic levels of each row not shared with the row before it, summed: the
     *                  tree nodes the rows need when they are in tree order (as the compactor writes
     *                  them), an upper bound otherwise. Lets the engine size its node arrays once.
     */
    public record Info(Path file, long journalIndex, long rowCount, long sizeBytes, long treeNodes)
    {
    }

    /** Checks the file completely without handing rows anywhere. */
    public Info verify(final Path file) throws CorruptSnapshotException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < HEADER_LENGTH + TRAILER_LENGTH)
            {
                throw new CorruptSnapshotException(file, size, "truncated: " + size + " bytes is shorter than header and checksum");
            }
            final ChannelInput in = new ChannelInput(channel, BUFFER_BYTES);
            final Info info = readHeader(file, in, size);
            final long dataEnd = size - TRAILER_LENGTH;
            long treeNodes = 0;
            int previousLength = -1;
            for (long row = 0; row < info.rowCount; row++)
            {
                final long at = in.position();
                if (at + ROW_HEADER_LENGTH > dataEnd)
                {
                    throw new CorruptSnapshotException(file, at, "truncated: row " + row + " of " + info.rowCount + " starts past the data");
                }
                final int qos = in.readUnsignedByte();
                final int topicLength = in.readInt();
                final int payloadLength = in.readInt();
                if (qos > 2 || topicLength <= 0 || payloadLength <= 0)
                {
                    throw new CorruptSnapshotException(file, at, "row " + row + " has qos " + qos + ", topic length " + topicLength + ", payload length " + payloadLength);
                }
                final long rowEnd = in.position() + (long)topicLength + payloadLength;
                if (rowEnd > dataEnd)
                {
                    throw new CorruptSnapshotException(file, at, "truncated: row " + row + " of " + info.rowCount + " ends at byte " + rowEnd + ", past the data end " + dataEnd);
                }
                treeNodes += newLevels(in, topicLength, previousLength);
                previousLength = topicLength;
                final byte[] swap = previousTopic;
                previousTopic = topic;
                topic = swap;
                in.skip(payloadLength);
            }
            if (in.position() != dataEnd)
            {
                throw new CorruptSnapshotException(file, in.position(), (dataEnd - in.position()) + " bytes after the last row");
            }
            checkChecksum(file, channel, dataEnd);
            return new Info(file, info.journalIndex, info.rowCount, size, treeNodes);
        }
        catch (final CorruptSnapshotException ex)
        {
            throw ex;
        }
        catch (final IOException ex)
        {
            throw new CorruptSnapshotException(file, -1, "unreadable: " + ex);
        }
    }

    /** Verifies the file, then hands every row to {@code sink}. */
    public Info load(final Path file, final RowSink sink) throws CorruptSnapshotException
    {
        return load(verify(file), sink);
    }

    /**
     * Hands every row of a file {@link #verify} has just passed to {@code sink}, without checking it
     * a second time: on a 10 M-row restart the second check was two more passes over the file.
     */
    public Info load(final Info info, final RowSink sink) throws CorruptSnapshotException
    {
        final Path file = info.file();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ChannelInput in = new ChannelInput(channel, BUFFER_BYTES);
            in.skip(HEADER_LENGTH);
            final ProgressLog progress = new ProgressLog(Recovery.LOG, "loading snapshot " + file.getFileName(), "rows", info.rowCount, System.nanoTime());
            for (long row = 0; row < info.rowCount; row++)
            {
                final int qos = in.readUnsignedByte();
                final int topicLength = in.readInt();
                final int payloadLength = in.readInt();
                if (topic.length < topicLength)
                {
                    topic = new byte[Math.max(topicLength, topic.length * 2)];
                }
                if (payload.length < payloadLength)
                {
                    payload = new byte[Math.max(payloadLength, payload.length * 2)];
                }
                in.readFully(topic, 0, topicLength);
                in.readFully(payload, 0, payloadLength);
                sink.accept(topic, 0, topicLength, payload, 0, payloadLength, qos);
                progress.advance(row + 1);
            }
            progress.finish(info.rowCount);
            return info;
        }
        catch (final IOException ex)
        {
            // Verified a moment ago: the file changed under us, which nothing in the broker does.
            throw new CorruptSnapshotException(file, -1, "changed while loading: " + ex);
        }
    }

    /**
     * Reads the row's topic into {@code topic} and counts its levels past those it shares whole with
     * {@code previousTopic} (of {@code previousLength} bytes, -1 for none): the nodes a restore in
     * this order creates. Sizes the scratch arrays; both hold a topic afterwards.
     */
    private int newLevels(final ChannelInput in, final int length, final int previousLength) throws IOException
    {
        if (topic.length < length)
        {
            topic = new byte[Math.max(length, topic.length * 2)];
            previousTopic = Arrays.copyOf(previousTopic, topic.length);
        }
        in.readFully(topic, 0, length);
        int mismatch = previousLength < 0 ? 0 : Arrays.mismatch(topic, 0, length, previousTopic, 0, previousLength);
        mismatch = mismatch < 0 ? length : mismatch;
        int levels = 0;
        boolean shared = previousLength >= 0;
        for (int i = 0; i <= length; i++)
        {
            if (i == length || topic[i] == '/')
            {
                shared = shared && (i < mismatch || i == mismatch && (i == previousLength || previousTopic[i] == '/'));
                levels += shared ? 0 : 1;
            }
        }
        return levels;
    }

    private static Info readHeader(final Path file, final ChannelInput in, final long size) throws IOException
    {
        final long magic = in.readLong();
        if (magic != SnapshotDescriptor.MAGIC)
        {
            throw new CorruptSnapshotException(file, SnapshotDescriptor.MAGIC_OFFSET, String.format("bad magic 0x%016x, not a Mote snapshot", magic));
        }
        final int version = in.readInt();
        if (version != SnapshotDescriptor.FORMAT_VERSION)
        {
            throw new CorruptSnapshotException(file, SnapshotDescriptor.VERSION_OFFSET, "format version " + version + " is not supported (this broker reads version " + SnapshotDescriptor.FORMAT_VERSION + ")");
        }
        final int reserved = in.readInt();
        final long journalIndex = in.readLong();
        final long rowCount = in.readLong();
        if (reserved != 0 || rowCount < 0)
        {
            throw new CorruptSnapshotException(file, SnapshotDescriptor.RESERVED_OFFSET, "bad header: reserved " + reserved + ", row count " + rowCount);
        }
        return new Info(file, journalIndex, rowCount, size, 0);
    }

    private static void checkChecksum(final Path file, final FileChannel channel, final long dataEnd) throws IOException
    {
        final CRC32C crc = new CRC32C();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        long position = 0;
        while (position < dataEnd)
        {
            buffer.clear();
            buffer.limit((int)Math.min(buffer.capacity(), dataEnd - position));
            final int n = channel.read(buffer, position);
            if (n < 0)
            {
                throw new EOFException("end of file at byte " + position);
            }
            buffer.flip();
            crc.update(buffer);
            position += n;
        }
        final ByteBuffer trailer = ByteBuffer.allocate(TRAILER_LENGTH).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (trailer.hasRemaining())
        {
            if (channel.read(trailer, dataEnd + trailer.position()) < 0)
            {
                throw new EOFException("end of file in checksum");
            }
        }
        final int stored = trailer.getInt(0);
        final int computed = (int)crc.getValue();
        if (stored != computed)
        {
            throw new CorruptSnapshotException(file, dataEnd, String.format("checksum mismatch: stored 0x%08x, computed 0x%08x", stored, computed));
        }
    }
}
