package io.mote.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import static io.mote.persistence.SnapshotDescriptor.FORMAT_VERSION;
import static io.mote.persistence.SnapshotDescriptor.MAGIC;

/**
 * Writes a {@link SnapshotDescriptor} file atomically: {@code snapshot-<index>.tmp} is written and
 * forced, renamed to its final name, then the directory is forced, so after any crash the final
 * name either does not exist or names a complete, durable file. A leftover {@code .tmp} is garbage
 * that {@link Snapshots#deleteTemporary} removes.
 *
 * <p>One instance per writing thread (it holds the output buffer and checksum).
 */
public final class SnapshotWriter
{
    private static final int BUFFER_BYTES = 1 << 20;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();

    /**
     * Writes every row of {@code rows} as the snapshot covering the journal up to
     * {@code journalIndex}.
     *
     * @param rowCount how many rows {@code rows} will hand over (checked)
     * @return the final path
     */
    public Path write(final Path dir, final long journalIndex, final long rowCount, final RowSource rows)
    {
        final Path target = dir.resolve(SnapshotDescriptor.fileName(journalIndex));
        final Path temp = dir.resolve(SnapshotDescriptor.PREFIX + String.format("%016x", journalIndex) + SnapshotDescriptor.TEMP_SUFFIX);
        try
        {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                writeTo(channel, journalIndex, rowCount, rows);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            JournalForcer.forceDirectory(dir);
            return target;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write snapshot " + target, ex);
        }
        finally
        {
            try
            {
                Files.deleteIfExists(temp);
            }
            catch (final IOException ignored)
            {
                // Left for Snapshots.deleteTemporary at the next start.
            }
        }
    }

    private void writeTo(final FileChannel channel, final long journalIndex, final long rowCount, final RowSource rows) throws IOException
    {
        buffer.clear();
        crc.reset();
        buffer.putLong(MAGIC).putInt(FORMAT_VERSION).putInt(0).putLong(journalIndex).putLong(rowCount);
        final long[] written = new long[1];
        final IOException[] failure = new IOException[1];
        rows.forEachRow((topic, topicOffset, topicLength, payload, payloadOffset, payloadLength, qos) ->
        {
            if (failure[0] != null)
            {
                return;
            }
            try
            {
                ensure(channel, SnapshotDescriptor.ROW_HEADER_LENGTH);
                buffer.put((byte)qos).putInt(topicLength).putInt(payloadLength);
                put(channel, topic, topicOffset, topicLength);
                put(channel, payload, payloadOffset, payloadLength);
                written[0]++;
            }
            catch (final IOException ex)
            {
                failure[0] = ex;
            }
        });
        if (failure[0] != null)
        {
            throw failure[0];
        }
        if (written[0] != rowCount)
        {
            throw new IllegalStateException("snapshot promised " + rowCount + " rows but the source gave " + written[0]);
        }
        flush(channel);
        buffer.putInt((int)crc.getValue());
        buffer.flip();
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    private void put(final FileChannel channel, final byte[] bytes, final int offset, final int length) throws IOException
    {
        int done = 0;
        while (done < length)
        {
            if (!buffer.hasRemaining())
            {
                flush(channel);
            }
            final int n = Math.min(buffer.remaining(), length - done);
            buffer.put(bytes, offset + done, n);
            done += n;
        }
    }

    private void ensure(final FileChannel channel, final int bytes) throws IOException
    {
        if (buffer.remaining() < bytes)
        {
            flush(channel);
        }
    }

    /** Writes out the buffer, adding its bytes to the running checksum. */
    private void flush(final FileChannel channel) throws IOException
    {
        buffer.flip();
        final ByteBuffer forCrc = buffer.duplicate();
        crc.update(forCrc);
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
        buffer.clear();
    }
}
