package io.mote.persistence;

/**
 * Makes a running broker's session log fail for real: closes the Chronicle Queue it appends to, so
 * the next append is refused by Chronicle as it would be after an I/O error. Call while no
 * session record is being appended (between a test's exchanges).
 */
public final class SessionLogBreaker
{
    private SessionLogBreaker()
    {
    }

    public static void closeQueueUnderneath(final SessionStore store)
    {
        store.log().liveSegment().close();
    }
}
