package io.mote.persistence;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Sequential little-endian reads from a file through one reused buffer, for snapshot files of any
 * size (a mapping would cap one at 2 GiB). Owned by the one thread reading the file.
 */
final class ChannelInput
{
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private long position;

    ChannelInput(final FileChannel channel, final int bufferSize) throws IOException
    {
        this.channel = channel;
        this.buffer = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.LITTLE_ENDIAN);
        this.buffer.limit(0);
        this.position = 0;
        channel.position(0);
    }

    /** Bytes consumed so far: the file offset of the next read. */
    long position()
    {
        return position;
    }

    private void require(final int bytes) throws IOException
    {
        if (buffer.remaining() >= bytes)
        {
            return;
        }
        buffer.compact();
        while (buffer.position() < bytes)
        {
            if (channel.read(buffer) < 0)
            {
                buffer.flip();
                throw new EOFException("end of file at byte " + (position + buffer.remaining()));
            }
        }
        buffer.flip();
    }

    int readUnsignedByte() throws IOException
    {
        require(1);
        position += 1;
        return buffer.get() & 0xFF;
    }

    int readInt() throws IOException
    {
        require(4);
        position += 4;
        return buffer.getInt();
    }

    long readLong() throws IOException
    {
        require(8);
        position += 8;
        return buffer.getLong();
    }

    void readFully(final byte[] into, final int offset, final int length) throws IOException
    {
        int done = 0;
        while (done < length)
        {
            if (!buffer.hasRemaining())
            {
                require(1);
            }
            final int n = Math.min(buffer.remaining(), length - done);
            buffer.get(into, offset + done, n);
            done += n;
        }
        position += length;
    }

    /** Skips bytes without reading them; the caller has checked they lie inside the file. */
    void skip(final long bytes) throws IOException
    {
        if (bytes <= buffer.remaining())
        {
            buffer.position(buffer.position() + (int)bytes);
        }
        else
        {
            channel.position(position + bytes);
            buffer.limit(0);
        }
        position += bytes;
    }
}
