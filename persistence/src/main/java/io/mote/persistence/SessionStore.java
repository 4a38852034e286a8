package io.mote.persistence;

import io.mote.engine.session.DurableSession;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The session log on disk: generations of Chronicle Queues under {@code <data-dir>/sessions}, of
 * which the one named in {@code CURRENT} is live.
 *
 * <pre>
 * sessions/
 *   CURRENT          "generation N next-number M": which gen-N holds the log (replaced by rename)
 *   gen-N/           Chronicle Queue of SessionRecordDescriptor records
 * </pre>
 *
 * <p>At every start the live generation is folded into its live state, which is written whole
 * into generation N+1 and forced to disk; only then does {@code CURRENT} move (an atomic rename)
 * and the older generations go. A crash anywhere in between leaves {@code CURRENT} on a complete
 * generation, so the log never grows across restarts beyond what is live. Owner: the starting
 * thread; the returned log is then shared (see {@link ChronicleSessionLog}).
 */
public final class SessionStore implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    static final String CURRENT = "CURRENT";
    private static final Pattern POINTER = Pattern.compile("generation (\\d+) next-number (\\d+)\\s*");
    private static final Pattern GENERATION_DIR = Pattern.compile("gen-(\\d+)");

    private final SingleChronicleQueue queue;
    private final ChronicleSessionLog log;
    private final List<DurableSession> recovered;
    private final SessionLogReader.Result replay;

    private SessionStore(final SingleChronicleQueue queue, final ChronicleSessionLog log, final List<DurableSession> recovered,
        final SessionLogReader.Result replay)
    {
        this.queue = queue;
        this.log = log;
        this.recovered = recovered;
        this.replay = replay;
    }

    /** Recovers the sessions in {@code dir}, compacts them into a new generation and opens it for appending. */
    public static SessionStore open(final Path dir, final JournalConfig config)
    {
        try
        {
            Files.createDirectories(dir);
            final long[] pointer = readPointer(dir);
            final long generation = pointer[0];
            final SessionFold fold = new SessionFold();
            SessionLogReader.Result replay = new SessionLogReader.Result(0, -1, null);
            final Path old = dir.resolve("gen-" + generation);
            if (Files.isDirectory(old))
            {
                try (SingleChronicleQueue oldQueue = ChronicleJournal.openQueue(old, config))
                {
                    replay = new SessionLogReader().replay(oldQueue, fold, LOG);
                }
            }
            final List<DurableSession> sessions = fold.sessions();
            final long lastNumber = Math.max(pointer[1] - 1, fold.lastNumber());
            final long next = generation + 1;
            final Path fresh = dir.resolve("gen-" + next);
            deleteTree(fresh); // a start that crashed while writing it
            final SingleChronicleQueue queue = ChronicleJournal.openQueue(fresh, config);
            final ChronicleSessionLog log = new ChronicleSessionLog(queue, config.fsync(), lastNumber);
            try
            {
                rewrite(log, sessions);
                // Forced whatever the mode: the old generation goes next, and must not be the only full copy.
                JournalForcer.forceTree(fresh);
                writePointer(dir, next, lastNumber + 1);
                deleteOtherGenerations(dir, next);
            }
            catch (final IOException | RuntimeException ex)
            {
                log.close();
                queue.close();
                throw ex;
            }
            return new SessionStore(queue, log, sessions, replay);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the session log in " + dir, ex);
        }
    }

    private static void rewrite(final ChronicleSessionLog log, final List<DurableSession> sessions)
    {
        for (final DurableSession session : sessions)
        {
            final long number = session.number();
            log.openedAs(number, session.clientId(), session.dialect());
            for (final DurableSession.Subscription subscription : session.subscriptions())
            {
                log.subscribed(number, subscription.filter(), 0, subscription.filter().length, subscription.qos());
            }
            for (final DurableSession.Message message : session.messages())
            {
                log.queued(number, message.seq(), message.qos(), message.retain(), message.topic(), 0, message.topic().length,
                    message.payload(), 0, message.payload().length);
                if (message.packetId() != 0)
                {
                    log.packetIdAssigned(number, message.seq(), message.packetId());
                    if (message.released())
                    {
                        log.received(number, message.packetId());
                    }
                }
            }
            for (final int packetId : session.inboundQos2())
            {
                log.inboundHeld(number, packetId);
            }
        }
    }

    /** @return {generation, next number}; {0, 1} for a new directory */
    private static long[] readPointer(final Path dir) throws IOException
    {
        final Path pointer = dir.resolve(CURRENT);
        if (!Files.exists(pointer))
        {
            return new long[] {0, 1};
        }
        final String text = Files.readString(pointer, StandardCharsets.US_ASCII);
        final Matcher matcher = POINTER.matcher(text);
        if (!matcher.matches())
        {
            throw new IllegalStateException("session log pointer " + pointer + " is unreadable ('" + text.strip()
                + "'); refusing to start without the persistent sessions it points to");
        }
        return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))};
    }

    private static void writePointer(final Path dir, final long generation, final long nextNumber) throws IOException
    {
        final Path temp = dir.resolve(CURRENT + ".tmp");
        Files.writeString(temp, "generation " + generation + " next-number " + nextNumber + "\n", StandardCharsets.US_ASCII);
        JournalForcer.forceFile(temp);
        Files.move(temp, dir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        JournalForcer.forceDirectory(dir);
    }

    private static void deleteOtherGenerations(final Path dir, final long keep) throws IOException
    {
        try (Stream<Path> entries = Files.list(dir))
        {
            for (final Path entry : (Iterable<Path>)entries::iterator)
            {
                final Matcher matcher = GENERATION_DIR.matcher(entry.getFileName().toString());
                if (matcher.matches() && Long.parseLong(matcher.group(1)) != keep)
                {
                    deleteTree(entry);
                }
            }
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)walk.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
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

    /** Records read back from the previous generation. */
    public long replayedRecords()
    {
        return replay.records();
    }

    /** Whether reading the previous generation stopped at a corrupt record (logged with its position). */
    public boolean replayStoppedAtCorruption()
    {
        return replay.corrupt();
    }

    /** Forces per the fsync mode and closes the log and its queue. */
    @Override
    public void close()
    {
        try
        {
            log.close();
        }
        finally
        {
            queue.close();
        }
    }
}
