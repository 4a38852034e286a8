package io.mote.persistence;

import java.util.Locale;

/**
 * When the journal forces its memory-mapped files to the disk, and so which failures an
 * acknowledged publish survives.
 *
 * <ul>
 * <li>{@code never} (default): nothing is forced. Writes land in the kernel's page cache through
 * the mapping the moment {@code append} returns, so they survive a crash or kill of the broker
 * process; they do not survive a power loss or kernel crash until the kernel writes them back on
 * its own (on Linux typically within ~30 s, {@code vm.dirty_expire_centisecs}; not bounded).</li>
 * <li>{@code batch}: at the end of each ring batch the journal's files are forced before
 * {@code endOfBatch} returns; acknowledgements run behind the journal stage, so every acknowledged
 * publish survives a power loss (given a disk that honours flushes). Costs one fsync per batch.</li>
 * <li>{@code interval:<ms>}: a background thread forces every {@code ms} milliseconds. Survives a
 * process crash like {@code never}; after a power loss, changes acknowledged in the last
 * {@code ms} milliseconds (plus the length of one force) may be lost, older ones are kept.</li>
 * </ul>
 *
 * @param kind       which of the three
 * @param intervalMs the period for {@link Kind#INTERVAL}, else 0
 */
public record FsyncMode(Kind kind, long intervalMs)
{
    public static final FsyncMode NEVER = new FsyncMode(Kind.NEVER, 0);
    public static final FsyncMode BATCH = new FsyncMode(Kind.BATCH, 0);

    /** The three durability settings. */
    public enum Kind
    {
        NEVER, BATCH, INTERVAL
    }

    public FsyncMode
    {
        if (kind == Kind.INTERVAL ? intervalMs <= 0 : intervalMs != 0)
        {
            throw new IllegalArgumentException("fsync interval must be positive for interval mode and 0 otherwise, was " + intervalMs);
        }
    }

    /** Forces every {@code intervalMs} milliseconds from a background thread. */
    public static FsyncMode interval(final long intervalMs)
    {
        return new FsyncMode(Kind.INTERVAL, intervalMs);
    }

    /** Parses {@code never}, {@code batch} or {@code interval:<ms>}, as written in the configuration. */
    public static FsyncMode parse(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("never"))
        {
            return NEVER;
        }
        if (value.equals("batch"))
        {
            return BATCH;
        }
        if (value.startsWith("interval:"))
        {
            try
            {
                return interval(Long.parseLong(value.substring("interval:".length())));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("fsync mode interval needs a positive number of milliseconds, e.g. interval:100; was '" + text + "'", ex);
            }
        }
        throw new IllegalArgumentException("fsync mode must be never, batch or interval:<ms>; was '" + text + "'");
    }

    @Override
    public String toString()
    {
        return kind == Kind.INTERVAL ? "interval:" + intervalMs : kind.name().toLowerCase(Locale.ROOT);
    }
}
