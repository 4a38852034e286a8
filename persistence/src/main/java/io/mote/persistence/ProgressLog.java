package io.mote.persistence;

import org.slf4j.Logger;

/**
 * Logs how a long load is going, once a second: units (rows, excerpts) so far, per second, percent of the
 * expected total. Silent for anything that finishes within a second, apart from the final summary
 * at debug level.
 *
 * <p>One thread only (the one loading). The clock is read every {@value #CHECK_EVERY} units, so the
 * cost per unit is a counter decrement.
 */
final class ProgressLog
{
    private static final int CHECK_EVERY = 4096;
    private static final long SECOND_NS = 1_000_000_000L;

    private final Logger log;
    private final String what;
    private final String unit;
    private final long total;
    private final long startNs;
    private long nextLogNs;
    private int untilCheck = CHECK_EVERY;
    private boolean logged;

    /**
     * @param total the expected number of units, or a value below 1 when not known (no percent)
     */
    ProgressLog(final Logger log, final String what, final String unit, final long total, final long nowNs)
    {
        this.log = log;
        this.what = what;
        this.unit = unit;
        this.total = total;
        this.startNs = nowNs;
        this.nextLogNs = nowNs + SECOND_NS;
    }

    /** Called once per unit with the count so far. */
    void advance(final long done)
    {
        if (--untilCheck > 0)
        {
            return;
        }
        untilCheck = CHECK_EVERY;
        final long nowNs = System.nanoTime();
        if (nowNs >= nextLogNs)
        {
            nextLogNs = nowNs + SECOND_NS;
            logged = true;
            log.info("{}: {} {}, {} {}/s{}", what, done, unit, rate(done, nowNs), unit, percent(done));
        }
    }

    /** The final line: at info level when progress was logged (the load was slow enough to watch). */
    void finish(final long done)
    {
        final long nowNs = System.nanoTime();
        final String line = "{}: done, {} {} in {} ms, {} {}/s";
        final long ms = (nowNs - startNs) / 1_000_000;
        if (logged || nowNs - startNs > SECOND_NS)
        {
            log.info(line, what, done, unit, ms, rate(done, nowNs), unit);
        }
        else
        {
            log.debug(line, what, done, unit, ms, rate(done, nowNs), unit);
        }
    }

    private long rate(final long done, final long nowNs)
    {
        final long elapsed = Math.max(1, nowNs - startNs);
        return (long)(done * (double)SECOND_NS / elapsed);
    }

    private String percent(final long done)
    {
        return total > 0 ? String.format(", %.1f%%", 100.0 * done / total) : "";
    }
}
