package io.mote.persistence;

import io.mote.engine.session.DurableSession;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.mote.persistence.SessionRecordDescriptor.*;

/**
 * The session log on disk (layout in {@link SessionDirectory}): a compacted generation followed by
 * the segments appended since, and the compaction that keeps it as small as the live sessions.
 *
 * <p>Compaction, at every start and while running ({@link #compactNow()}): (1) roll the log to a
 * fresh segment, so the writers never wait and everything before the roll point is immutable; (2)
 * fold the generation and the segments before the roll point; (3) write that state into the next
 * generation and force it; (4) move {@code CURRENT} to the new generation and the fresh segment (an
 * atomic rename); (5) delete the old generation and segments. Records appended during (2)-(5) are in
 * the fresh segment, which both the old and the new pointer include, so a crash at any step leaves
 * {@code CURRENT} on a complete log. Why folding generation + tail gives the same state as folding
 * everything: a generation holds exactly the live sessions, with their messages under the seqs the
 * transport still uses, and the fold ignores later records of sessions that are not live; at start,
 * when nobody has seqs yet, they are renumbered (see {@link SessionFold#sessions()}).
 *
 * <p>Threads: {@link #open} on the starting thread; {@link #compactNow()} on the compaction
 * thread (or a test's), serialized with {@link #close()} by this object's monitor; the log is
 * shared (see {@link ChronicleSessionLog}).
 */
public final class SessionStore implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    static final String CURRENT = SessionDirectory.CURRENT;

    private final SessionDirectory directory;
    private final JournalConfig config;
    private final ChronicleSessionLog log;
    private final List<DurableSession> recovered;
    private final SessionLogReader.Result replay;
    /** Under this monitor: the pointer last written, the live segment's number, whether closed. */
    private SessionDirectory.Pointer pointer;
    private long liveSegment;
    private boolean closed;
    private SessionCompactor compactor;

    /** How far a compaction goes; a test stops early to leave the disk as a crash at that point would. */
    enum Step
    {
        ROLLED, GENERATION_WRITTEN, POINTER_MOVED, DONE
    }

    private SessionStore(final SessionDirectory directory, final JournalConfig config, final ChronicleSessionLog log,
        final List<DurableSession> recovered, final SessionLogReader.Result replay, final SessionDirectory.Pointer pointer)
    {
        this.directory = directory;
        this.config = config;
        this.log = log;
        this.recovered = recovered;
        this.replay = replay;
        this.pointer = pointer;
        this.liveSegment = pointer.segment();
    }

    /** Recovers the sessions in {@code dir}, compacts them into a new generation and opens a fresh segment for appending. */
    public static SessionStore open(final Path dir, final JournalConfig config)
    {
        try
        {
            Files.createDirectories(dir);
            final SessionDirectory directory = new SessionDirectory(dir);
            final SessionDirectory.Pointer old = directory.readPointer();
            final SessionFold fold = new SessionFold();
            final SessionLogReader.Result replay = fold(directory, old, Long.MAX_VALUE, fold, config);
            final List<DurableSession> sessions = fold.sessions();
            final long lastNumber = Math.max(old.nextNumber() - 1, fold.lastNumber());
            final List<Long> segments = directory.segments(old.segment(), Long.MAX_VALUE);
            final long segment = (segments.isEmpty() ? old.segment() - 1 : segments.get(segments.size() - 1)) + 1;
            writeGeneration(directory, old.generation() + 1, sessions, config);
            final SessionSegment live = openSegment(directory, segment, config);
            try
            {
                final SessionDirectory.Pointer pointer = new SessionDirectory.Pointer(old.generation() + 1, segment, lastNumber + 1);
                directory.writePointer(pointer);
                directory.deleteOutside(pointer);
                return new SessionStore(directory, config, new ChronicleSessionLog(live, config.fsync(), lastNumber), sessions, replay, pointer);
            }
            catch (final IOException | RuntimeException ex)
            {
                live.close();
                throw ex;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the session log in " + dir, ex);
        }
    }

    /**
     * Compacts the log while writers keep appending (see the class comment); does nothing once the
     * log has failed. Any thread; one compaction at a time. A failure leaves {@code CURRENT} on a complete log and is thrown; the
     * next compaction starts over.
     */
    public synchronized void compactNow()
    {
        compact(Step.DONE);
    }

    /** {@link #compactNow()} up to {@code last}; for tests that leave the disk as a crash would. */
    synchronized void compact(final Step last)
    {
        if (closed || log.failure() != null)
        {
            // A failed log is left as it is (the disk may be full): the next start reads it.
            return;
        }
        try
        {
            final long next = liveSegment + 1;
            final SessionSegment fresh = openSegment(directory, next, config);
            final SessionSegment previous = log.roll(fresh);
            liveSegment = next;
            log.retire(previous);
            if (last == Step.ROLLED)
            {
                return;
            }
            final SessionFold fold = new SessionFold();
            final SessionLogReader.Result read = fold(directory, pointer, next - 1, fold, config);
            if (read.corrupt())
            {
                throw new IllegalStateException("session log is corrupt (" + read.problem() + "); not compacted, the next start "
                    + "recovers everything before the corrupt record");
            }
            final long generation = pointer.generation() + 1;
            writeGeneration(directory, generation, fold.liveSessions(), config);
            if (last == Step.GENERATION_WRITTEN)
            {
                return;
            }
            pointer = new SessionDirectory.Pointer(generation, next, log.lastNumber() + 1);
            directory.writePointer(pointer);
            if (last == Step.POINTER_MOVED)
            {
                return;
            }
            directory.deleteOutside(pointer);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot compact the session log in " + directory.root(), ex);
        }
    }

    /** Compacts in the background each time {@code bytes} of records were appended since the last compaction. */
    public synchronized void startCompaction(final long bytes)
    {
        if (compactor != null || closed)
        {
            throw new IllegalStateException("session log compaction already started, or the store is closed");
        }
        compactor = new SessionCompactor(this, log, bytes);
        compactor.start();
    }

    /** Reads the pointer's generation and its segments up to {@code lastSegment}, stopping at the first corrupt record. */
    private static SessionLogReader.Result fold(final SessionDirectory directory, final SessionDirectory.Pointer pointer,
        final long lastSegment, final SessionFold fold, final JournalConfig config) throws IOException
    {
        final List<Path> parts = new ArrayList<>();
        if (Files.isDirectory(directory.generation(pointer.generation())))
        {
            parts.add(directory.generation(pointer.generation()));
        }
        for (final long segment : directory.segments(pointer.segment(), lastSegment))
        {
            parts.add(directory.segment(segment));
        }
        final SessionLogReader reader = new SessionLogReader();
        long records = 0;
        for (final Path part : parts)
        {
            try (SingleChronicleQueue queue = ChronicleJournal.openQueue(part, config))
            {
                final SessionLogReader.Result result = reader.replay(queue, fold, LOG);
                records += result.records();
                if (result.corrupt())
                {
                    // Nothing after a bad record counts, in this part or in the later ones.
                    return new SessionLogReader.Result(records, result.corruptIndex(), result.problem());
                }
            }
        }
        return new SessionLogReader.Result(records, -1, null);
    }

    /** Writes {@code sessions} whole into generation {@code number} and forces it, whatever the fsync mode. */
    private static void writeGeneration(final SessionDirectory directory, final long number, final List<DurableSession> sessions,
        final JournalConfig config) throws IOException
    {
        final Path target = directory.generation(number);
        SessionDirectory.deleteTree(target); // a compaction that failed or crashed while writing it
        try (SingleChronicleQueue queue = ChronicleJournal.openQueue(target, config);
             SessionRecordAppender appender = new SessionRecordAppender(queue.createAppender()))
        {
            for (final DurableSession session : sessions)
            {
                write(appender, session);
            }
        }
        // Forced whatever the mode: the older generation goes next, and must not be the only full copy.
        JournalForcer.forceTree(target);
    }

    private static void write(final SessionRecordAppender appender, final DurableSession session)
    {
        final byte[] none = new byte[0];
        final long number = session.number();
        final byte[] id = session.clientId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        appender.append(KIND_OPENED, session.dialect().ordinal(), 0, number, 0, 0, id, 0, id.length, none, 0, 0);
        for (final DurableSession.Subscription subscription : session.subscriptions())
        {
            final byte[] filter = subscription.filter();
            appender.append(KIND_SUBSCRIBED, subscription.qos(), 0, number, 0, 0, filter, 0, filter.length, none, 0, 0);
        }
        for (final DurableSession.Message message : session.messages())
        {
            appender.append(KIND_QUEUED, message.qos(), message.retain() ? FLAG_RETAIN : 0, number, message.seq(), 0,
                message.topic(), 0, message.topic().length, message.payload(), 0, message.payload().length);
            if (message.packetId() != 0)
            {
                appender.append(KIND_PACKET_ID, 0, 0, number, message.seq(), message.packetId(), none, 0, 0, none, 0, 0);
                if (message.released())
                {
                    appender.append(KIND_RECEIVED, 0, 0, number, 0, message.packetId(), none, 0, 0, none, 0, 0);
                }
            }
        }
        for (final int packetId : session.inboundQos2())
        {
            appender.append(KIND_INBOUND_HELD, 0, 0, number, 0, packetId, none, 0, 0, none, 0, 0);
        }
    }

    /** A new, empty segment whose directory entry is on disk before anything is appended to it. */
    private static SessionSegment openSegment(final SessionDirectory directory, final long number, final JournalConfig config)
        throws IOException
    {
        final Path path = directory.segment(number);
        SessionDirectory.deleteTree(path); // a roll that failed or crashed after creating it held nothing live
        final SingleChronicleQueue queue = ChronicleJournal.openQueue(path, config);
        try
        {
            Files.createDirectories(path);
            JournalForcer.forceDirectory(directory.root());
            return new SessionSegment(number, queue);
        }
        catch (final IOException | RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
    }

    /** Where the transport records persistent sessions from now on. */
    public ChronicleSessionLog log()
    {
        return log;
    }

    /** The persistent sessions found at start, by number; for the broker to recreate before the listeners open. */
    public List<DurableSession> recovered()
    {
        return recovered;
    }

    /** Records read back at start. */
    public long replayedRecords()
    {
        return replay.records();
    }

    /** Whether reading the log at start stopped at a corrupt record (logged with its position). */
    public boolean replayStoppedAtCorruption()
    {
        return replay.corrupt();
    }

    /** Stops compaction, then forces per the fsync mode and closes the log. */
    @Override
    public void close()
    {
        final SessionCompactor running;
        synchronized (this)
        {
            running = compactor;
        }
        if (running != null)
        {
            running.close(); // outside the monitor: it may be waiting for it inside compactNow()
        }
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            log.close();
        }
    }
}
