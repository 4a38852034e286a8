package io.mote.transport.server;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Sessions by subscriber id, readable from any thread without locks or boxing: the engine's
 * encoding thread looks a session up for every message it delivers.
 *
 * <p>An id is {@code generation << 32 | slot}. Slots are reused, generations are not, so a message
 * for a session that ended (and whose slot now holds another) finds no session instead of the
 * wrong one. Slots live in fixed-size chunks allocated on demand; the directory never moves.
 * Writers (the event loops, creating and removing sessions) synchronize on the table.
 */
final class SessionTable
{
    private static final int CHUNK_BITS = 12;
    private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final int MAX_CHUNKS = 4096;

    private final AtomicReferenceArray<AtomicReferenceArray<Session>> chunks = new AtomicReferenceArray<>(MAX_CHUNKS);
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int nextSlot;
    private int generation;
    private int size;

    /** Reserves a new id; the session must then be {@link #put}. */
    synchronized long newId()
    {
        final int slot;
        if (freeCount > 0)
        {
            slot = freeSlots[--freeCount];
        }
        else
        {
            slot = nextSlot++;
            if (slot >= MAX_CHUNKS * CHUNK_SIZE)
            {
                throw new IllegalStateException("too many sessions: " + slot);
            }
            if (chunks.get(slot >>> CHUNK_BITS) == null)
            {
                chunks.set(slot >>> CHUNK_BITS, new AtomicReferenceArray<>(CHUNK_SIZE));
            }
        }
        generation++;
        return ((long)generation << 32) | slot;
    }

    synchronized void put(final Session session)
    {
        final int slot = (int)session.id();
        chunks.get(slot >>> CHUNK_BITS).set(slot & (CHUNK_SIZE - 1), session);
        size++;
    }

    synchronized void remove(final Session session)
    {
        final int slot = (int)session.id();
        final AtomicReferenceArray<Session> chunk = chunks.get(slot >>> CHUNK_BITS);
        if (chunk.get(slot & (CHUNK_SIZE - 1)) == session)
        {
            chunk.set(slot & (CHUNK_SIZE - 1), null);
            if (freeCount == freeSlots.length)
            {
                freeSlots = java.util.Arrays.copyOf(freeSlots, freeCount << 1);
            }
            freeSlots[freeCount++] = slot;
            size--;
        }
    }

    /** Any thread. @return the live session with exactly this id, or null. */
    Session get(final long id)
    {
        final int slot = (int)id;
        if (slot < 0 || slot >= MAX_CHUNKS * CHUNK_SIZE)
        {
            return null;
        }
        final AtomicReferenceArray<Session> chunk = chunks.get(slot >>> CHUNK_BITS);
        if (chunk == null)
        {
            return null;
        }
        final Session session = chunk.get(slot & (CHUNK_SIZE - 1));
        return session != null && session.id() == id ? session : null;
    }

    synchronized int size()
    {
        return size;
    }
}
