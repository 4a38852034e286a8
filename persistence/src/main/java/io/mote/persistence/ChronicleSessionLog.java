package io.mote.persistence;

import io.mote.engine.session.SessionLog;
import io.mote.engine.topic.Dialect;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

import static io.mote.persistence.SessionRecordDescriptor.CHECKSUM_LENGTH;
import static io.mote.persistence.SessionRecordDescriptor.HEADER_LENGTH;

/**
 * The {@link SessionLog} on a Chronicle Queue: one {@link SessionRecordDescriptor} record per
 * excerpt.
 *
 * <p>Threads: any thread may append. A Chronicle appender belongs to one thread, so each appending
 * thread gets its own (with its own header scratch and checksum) on first use; Chronicle's write
 * lock on the queue serializes their excerpts, so records of different threads never interleave
 * and each thread's records keep their order. Nothing is allocated per record once a thread has
 * its writer. {@link #sync()} forces the files in {@code batch} mode, once for everything appended
 * by every thread so far (a later caller finds the work done); in {@code interval} mode a timer
 * thread forces them.
 */
public final class ChronicleSessionLog implements SessionLog, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleSessionLog.class);
    private static final byte[] NONE = new byte[0];

    private final SingleChronicleQueue queue;
    private final FsyncMode fsync;
    private final JournalForcer forcer;
    private final AtomicLong lastNumber;
    private final ThreadLocal<Writer> writers = ThreadLocal.withInitial(this::newWriter);
    private final List<Writer> allWriters = new ArrayList<>();
    private final AtomicLong appended = new AtomicLong();
    private final AtomicInteger cycle = new AtomicInteger(Integer.MIN_VALUE);
    private final Object syncLock = new Object();
    private final Thread timer;
    private volatile long synced;
    private volatile boolean closed;

    /**
     * @param queue      the session queue, empty or holding records this log's numbers follow
     * @param lastNumber the highest session number ever given; new ones are above it
     */
    ChronicleSessionLog(final SingleChronicleQueue queue, final FsyncMode fsync, final long lastNumber)
    {
        this.queue = queue;
        this.fsync = fsync;
        this.forcer = new JournalForcer(queue.file().toPath());
        this.lastNumber = new AtomicLong(lastNumber);
        if (fsync.kind() == FsyncMode.Kind.INTERVAL)
        {
            timer = new Thread(this::forceEveryInterval, "mote-sessions-fsync");
            timer.setDaemon(true);
            timer.start();
        }
        else
        {
            timer = null;
        }
    }

    @Override
    public long opened(final String clientId, final Dialect dialect)
    {
        final long number = lastNumber.incrementAndGet();
        openedAs(number, clientId, dialect);
        return number;
    }

    /** Rewrites a recovered session under its old number (compaction at start). */
    void openedAs(final long number, final String clientId, final Dialect dialect)
    {
        final byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        append(SessionRecordDescriptor.KIND_OPENED, dialect.ordinal(), 0, number, 0, 0, id, 0, id.length, NONE, 0, 0);
    }

    @Override
    public void ended(final long session)
    {
        append(SessionRecordDescriptor.KIND_ENDED, 0, 0, session, 0, 0, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void subscribed(final long session, final byte[] filter, final int offset, final int length, final int qos)
    {
        append(SessionRecordDescriptor.KIND_SUBSCRIBED, qos, 0, session, 0, 0, filter, offset, length, NONE, 0, 0);
    }

    @Override
    public void unsubscribed(final long session, final byte[] filter, final int offset, final int length)
    {
        append(SessionRecordDescriptor.KIND_UNSUBSCRIBED, 0, 0, session, 0, 0, filter, offset, length, NONE, 0, 0);
    }

    @Override
    public void queued(final long session, final long seq, final int qos, final boolean retain, final byte[] topic, final int topicOffset,
        final int topicLength, final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        append(SessionRecordDescriptor.KIND_QUEUED, qos, retain ? SessionRecordDescriptor.FLAG_RETAIN : 0, session, seq, 0,
            topic, topicOffset, topicLength, payload, payloadOffset, payloadLength);
    }

    @Override
    public void packetIdAssigned(final long session, final long seq, final int packetId)
    {
        append(SessionRecordDescriptor.KIND_PACKET_ID, 0, 0, session, seq, packetId, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void received(final long session, final int packetId)
    {
        append(SessionRecordDescriptor.KIND_RECEIVED, 0, 0, session, 0, packetId, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void completed(final long session, final int packetId)
    {
        append(SessionRecordDescriptor.KIND_COMPLETED, 0, 0, session, 0, packetId, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void inboundHeld(final long session, final int packetId)
    {
        append(SessionRecordDescriptor.KIND_INBOUND_HELD, 0, 0, session, 0, packetId, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void inboundReleased(final long session, final int packetId)
    {
        append(SessionRecordDescriptor.KIND_INBOUND_RELEASED, 0, 0, session, 0, packetId, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void sync()
    {
        if (fsync.kind() != FsyncMode.Kind.BATCH || appended.get() <= synced)
        {
            return;
        }
        synchronized (syncLock)
        {
            final long target = appended.get();
            if (target <= synced)
            {
                return; // another thread's force covered our records while we waited for the lock
            }
            forcer.force();
            synced = target;
        }
    }

    /** Records appended since this log opened, by every thread; any thread. */
    public long appendedRecords()
    {
        return appended.get();
    }

    private void append(final int kind, final int qos, final int flags, final long session, final long seq, final int packetId,
        final byte[] text, final int textOffset, final int textLength, final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        if (closed)
        {
            // Shutdown: the listeners and the engine are stopping; anything decided now is not acknowledged.
            return;
        }
        final Writer writer = writers.get();
        final byte[] header = writer.header;
        SessionRecordDescriptor.encodeHeader(header, kind, qos, flags, session, seq, packetId, textLength, payloadLength);
        final CRC32C crc = writer.crc;
        crc.reset();
        crc.update(header, 0, HEADER_LENGTH);
        crc.update(text, textOffset, textLength);
        crc.update(payload, payloadOffset, payloadLength);
        final ExcerptAppender appender = writer.appender;
        try (DocumentContext document = appender.writingDocument())
        {
            final Bytes<?> out = document.wire().bytes();
            out.write(header, 0, HEADER_LENGTH);
            out.write(text, textOffset, textLength);
            out.write(payload, payloadOffset, payloadLength);
            JournalRecordDescriptor.putIntLE(header, 0, (int)crc.getValue());
            out.write(header, 0, CHECKSUM_LENGTH);
        }
        final int appenderCycle = appender.cycle();
        final int known = cycle.get();
        if (appenderCycle > known && cycle.compareAndSet(known, appenderCycle))
        {
            forcer.cycleStarted(appender.currentFile());
        }
        appended.incrementAndGet();
    }

    private Writer newWriter()
    {
        final Writer writer = new Writer(queue.createAppender());
        synchronized (allWriters)
        {
            allWriters.add(writer);
        }
        return writer;
    }

    private void forceEveryInterval()
    {
        final long intervalMs = fsync.intervalMs();
        while (!closed)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMs));
            if (closed)
            {
                return;
            }
            try
            {
                if (appended.get() > synced)
                {
                    final long target = appended.get();
                    forcer.force();
                    synced = target;
                }
            }
            catch (final RuntimeException ex)
            {
                LOG.error("session log fsync failed; retrying in {} ms", intervalMs, ex);
            }
        }
    }

    /**
     * Stops appending, forces what was written (unless the mode is {@code never}) and closes the
     * appenders. Call after the listeners and the engine stopped; the queue stays open.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (timer != null)
        {
            LockSupport.unpark(timer);
            try
            {
                timer.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (fsync.kind() != FsyncMode.Kind.NEVER)
        {
            forcer.force();
        }
        forcer.close();
        synchronized (allWriters)
        {
            for (final Writer writer : allWriters)
            {
                writer.appender.singleThreadedCheckReset();
                writer.appender.close();
            }
            allWriters.clear();
        }
    }

    /** One appending thread's appender and scratch. */
    private static final class Writer
    {
        final ExcerptAppender appender;
        final byte[] header = new byte[HEADER_LENGTH];
        final CRC32C crc = new CRC32C();

        Writer(final ExcerptAppender appender)
        {
            this.appender = appender;
        }
    }
}
