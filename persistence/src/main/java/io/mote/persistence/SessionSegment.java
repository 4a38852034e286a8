package io.mote.persistence;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One {@code seg-K} queue of the session log: the records appended while it was the live segment.
 * The log appends to one segment at a time; a compaction rolls the log to a fresh one, waits until
 * nobody appends to the old one any more ({@link #awaitQuiescent()}), folds it and deletes it.
 *
 * <p>Why an in-flight count and not a lock: writers are event loops and the engine's encoding and
 * journal (acknowledging) threads, and must never wait for a compaction. A writer {@link #enter()}s, then checks that
 * the segment is still the log's live one (else it {@link #exit()}s and takes the new one); the
 * roller publishes the new segment, then waits for the count to reach zero. Both sides use
 * sequentially consistent atomics, so a writer either saw the old segment and is counted, or sees
 * the new one; once the count is zero after the roll, nobody appends to this segment again.
 *
 * <p>Threads: {@link #enter}, {@link #exit}, {@link #newAppender} and {@link #cycleOf} by any
 * appending thread; {@link #force} by whichever thread syncs the log (the queue's files are forced,
 * not the appenders); {@link #awaitQuiescent} and {@link #close} by the compacting thread, or the
 * closing one.
 */
final class SessionSegment implements AutoCloseable
{
    private final long number;
    private final SingleChronicleQueue queue;
    private final JournalForcer forcer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger cycle = new AtomicInteger(Integer.MIN_VALUE);
    private final List<SessionRecordAppender> appenders = new ArrayList<>();

    SessionSegment(final long number, final SingleChronicleQueue queue)
    {
        this.number = number;
        this.queue = queue;
        this.forcer = new JournalForcer(queue.file().toPath());
    }

    long number()
    {
        return number;
    }

    Path dir()
    {
        return queue.file().toPath();
    }

    void enter()
    {
        inFlight.incrementAndGet();
    }

    void exit()
    {
        inFlight.decrementAndGet();
    }

    /** A new appender for the calling thread; only between {@link #enter} and {@link #exit}. */
    SessionRecordAppender newAppender()
    {
        final SessionRecordAppender appender = new SessionRecordAppender(queue.createAppender());
        synchronized (appenders)
        {
            appenders.add(appender);
        }
        return appender;
    }

    /** Tells the forcer about a new cycle file, once per cycle, after {@code appender} wrote into it. */
    void cycleOf(final SessionRecordAppender appender)
    {
        final int appenderCycle = appender.appender().cycle();
        final int known = cycle.get();
        if (appenderCycle > known && cycle.compareAndSet(known, appenderCycle))
        {
            forcer.cycleStarted(appender.appender().currentFile());
        }
    }

    /** Forces what was appended so far (fsync of the cycle files, and of the directory when it changed). */
    void force()
    {
        forcer.force();
    }

    /** Returns once no writer is between {@link #enter} and {@link #exit}; call after the log moved on. */
    void awaitQuiescent()
    {
        // An append takes microseconds; the wait is as long as the slowest one in progress.
        while (inFlight.get() != 0)
        {
            LockSupport.parkNanos(10_000);
        }
    }

    /** Closes the appenders (their threads no longer use them) and the queue, which unmaps its files. */
    @Override
    public void close()
    {
        forcer.close();
        synchronized (appenders)
        {
            for (final SessionRecordAppender appender : appenders)
            {
                appender.close();
            }
            appenders.clear();
        }
        queue.close();
    }
}
