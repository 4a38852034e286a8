package io.mote.engine.retained;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The payloads of a {@link RetainedTree}'s rows, packed as records into shared pages instead of one
 * {@code byte[]} per row. Why: a restart of 10 M rows created 10 M arrays (16 bytes of header each,
 * 8-byte aligned), which the collector then copied between generations; on a machine where touching
 * fresh memory is the cost, objects and bytes are what a restart pays for. An 8-byte payload costs
 * 16 bytes here instead of 24, and a page is one object.
 *
 * <p>Record layout in a page ({@value #PAGE_BYTES} bytes), each record 8-byte aligned:
 * <pre>
 *   0        4        8                      8 + length, padded to 8
 *   +--------+--------+----------------------+
 *   | node   | length | payload              |
 *   +--------+--------+----------------------+
 * </pre>
 * {@code node} is the owner's id, {@link #DEAD} once the value is released: evacuation needs it to
 * move a live record and repoint its node. Payloads over {@value #LARGE_BYTES} bytes get an array
 * of their own (a page would waste up to a record's size at its end).
 *
 * <p>Handle, the int a node holds ({@link RetainedNodes#valueHandle}): {@link #NO_VALUE} (0) for
 * none; positive {@code 1 + (page << 15 | recordOffset >> 3)} for a record; negative
 * {@code -1 - slot} for a large value. Pages are therefore limited to {@value #MAX_PAGES} (16 GB).
 *
 * <p>Garbage: releasing a record marks it dead and counts its bytes (and, when a page stops being
 * the tail, its unused end) as the page's garbage. A page past half garbage is evacuated: its live
 * records are appended to the tail and it is reused, so live data is at least half of the pages
 * that are not the tail, and each evacuation moves at most half a page, paid for by the half page
 * of garbage before it. A few emptied pages are kept for reuse, so steady overwrites with changing
 * lengths allocate nothing; beyond those the arrays are dropped for the collector.
 *
 * <p>Invariants: a live node's handle points at a record whose {@code node} field is that node and
 * whose length is the payload's; no page is both the tail and queued for evacuation; a page is on
 * the free list only when empty.
 *
 * <p>Owner: the engine's matching thread, through its {@link RetainedTree}. Not thread safe.
 */
final class RetainedValues
{
    static final int NO_VALUE = 0;
    static final int PAGE_BYTES = 1 << 18;
    static final int LARGE_BYTES = PAGE_BYTES >> 3;

    static final int DEAD = -1;
    private static final int NODE_OFFSET = 0;
    private static final int LENGTH_OFFSET = 4;
    private static final int HEADER_BYTES = 8;
    private static final int ALIGN_SHIFT = 3;
    private static final int OFFSET_BITS = 15;
    private static final int OFFSET_MASK = (1 << OFFSET_BITS) - 1;
    private static final int MAX_PAGES = (1 << 16) - 1;
    private static final int KEPT_FREE_PAGES = 8;
    private static final int ARRAY_HEADER_BYTES = 16;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final RetainedNodes nodes;
    private byte[][] pages = new byte[16][];
    /** End of the last record written to each page. */
    private int[] pageUsed = new int[16];
    /** Dead record bytes of each page, plus its unused end once it stopped being the tail. */
    private int[] pageGarbage = new int[16];
    private boolean[] queued = new boolean[16];
    private int pageCount;
    private int tail = -1;
    private int[] freePages = new int[16];
    private int freePageCount;
    private int[] evacuations = new int[16];
    private int evacuationCount;
    private int keptFreePages;
    private int allocatedPages;
    private byte[][] large = new byte[16][];
    private int[] freeLarge = new int[16];
    private int freeLargeCount;
    private int largeCount;
    private long largeBytes;

    RetainedValues(final RetainedNodes nodes)
    {
        this.nodes = nodes;
    }

    /** Stores a payload for a node that holds none, and sets the node's handle. */
    void store(final int node, final byte[] src, final int offset, final int length)
    {
        nodes.valueHandle(node, length > LARGE_BYTES ? storeLarge(src, offset, length) : append(node, src, offset, length));
        evacuateQueued();
    }

    /** Drops a node's value and clears its handle; the node must hold one. */
    void release(final int node)
    {
        final int handle = nodes.valueHandle(node);
        nodes.valueHandle(node, NO_VALUE);
        if (handle < 0)
        {
            final int slot = -1 - handle;
            largeBytes -= arrayBytes(large[slot].length);
            large[slot] = null;
            freeLarge = push(freeLarge, freeLargeCount++, slot);
            return;
        }
        final int page = page(handle);
        final int at = recordOffset(handle);
        final byte[] bytes = pages[page];
        INT.set(bytes, at + NODE_OFFSET, DEAD);
        pageGarbage[page] += recordBytes((int)INT.get(bytes, at + LENGTH_OFFSET));
        queueIfMostlyGarbage(page);
        evacuateQueued();
    }

    /** The array holding a value: shared with other values, valid until the next store or release of any. */
    byte[] array(final int handle)
    {
        return handle < 0 ? large[-1 - handle] : pages[page(handle)];
    }

    int offset(final int handle)
    {
        return handle < 0 ? 0 : recordOffset(handle) + HEADER_BYTES;
    }

    int length(final int handle)
    {
        return handle < 0 ? large[-1 - handle].length : (int)INT.get(pages[page(handle)], recordOffset(handle) + LENGTH_OFFSET);
    }

    /** Heap bytes of the pages (free ones kept included) and large values. */
    long capacityBytes()
    {
        return allocatedPages * arrayBytes(PAGE_BYTES) + largeBytes
            + (long)pages.length * (4 + 4 + 4 + 1) + (freePages.length + evacuations.length + freeLarge.length + large.length) * 4L;
    }

    /** Pages holding records, for tests of the garbage bound. */
    int pagesInUse()
    {
        int inUse = 0;
        for (int p = 0; p < pageCount; p++)
        {
            if (pageUsed[p] > 0)
            {
                inUse++;
            }
        }
        return inUse;
    }

    /** Bytes a record of a payload takes in a page. */
    static int recordBytes(final int length)
    {
        return (HEADER_BYTES + length + 7) & ~7;
    }

    private int append(final int node, final byte[] src, final int offset, final int length)
    {
        final int size = recordBytes(length);
        if (tail < 0 || pageUsed[tail] + size > PAGE_BYTES)
        {
            newTail();
        }
        final byte[] bytes = pages[tail];
        final int at = pageUsed[tail];
        INT.set(bytes, at + NODE_OFFSET, node);
        INT.set(bytes, at + LENGTH_OFFSET, length);
        System.arraycopy(src, offset, bytes, at + HEADER_BYTES, length);
        pageUsed[tail] = at + size;
        return 1 + (tail << OFFSET_BITS | at >>> ALIGN_SHIFT);
    }

    private void newTail()
    {
        final int previous = tail;
        if (freePageCount > 0)
        {
            tail = freePages[--freePageCount];
            if (pages[tail] == null)
            {
                pages[tail] = new byte[PAGE_BYTES];
                allocatedPages++;
            }
            else
            {
                keptFreePages--;
            }
        }
        else
        {
            if (pageCount == MAX_PAGES)
            {
                throw new IllegalStateException("retained values exceed " + MAX_PAGES + " pages of " + PAGE_BYTES + " bytes");
            }
            if (pageCount == pages.length)
            {
                final int capacity = Math.min(MAX_PAGES, pageCount << 1);
                pages = Arrays.copyOf(pages, capacity);
                pageUsed = Arrays.copyOf(pageUsed, capacity);
                pageGarbage = Arrays.copyOf(pageGarbage, capacity);
                queued = Arrays.copyOf(queued, capacity);
            }
            tail = pageCount++;
            pages[tail] = new byte[PAGE_BYTES];
            allocatedPages++;
        }
        if (previous >= 0)
        {
            pageGarbage[previous] += PAGE_BYTES - pageUsed[previous];
            queueIfMostlyGarbage(previous);
        }
    }

    private void queueIfMostlyGarbage(final int page)
    {
        if (page != tail && !queued[page] && pageGarbage[page] > PAGE_BYTES >> 1)
        {
            queued[page] = true;
            evacuations = push(evacuations, evacuationCount++, page);
        }
    }

    /** Moves the live records of every queued page to the tail and frees the pages; may queue old tails on the way. */
    private void evacuateQueued()
    {
        while (evacuationCount > 0)
        {
            final int page = evacuations[--evacuationCount];
            final byte[] bytes = pages[page];
            final int used = pageUsed[page];
            for (int at = 0; at < used; )
            {
                final int node = (int)INT.get(bytes, at + NODE_OFFSET);
                final int length = (int)INT.get(bytes, at + LENGTH_OFFSET);
                if (node != DEAD)
                {
                    nodes.valueHandle(node, append(node, bytes, at + HEADER_BYTES, length));
                }
                at += recordBytes(length);
            }
            queued[page] = false;
            pageUsed[page] = 0;
            pageGarbage[page] = 0;
            if (keptFreePages < KEPT_FREE_PAGES)
            {
                keptFreePages++;
            }
            else
            {
                pages[page] = null;
                allocatedPages--;
            }
            freePages = push(freePages, freePageCount++, page);
        }
    }

    private int storeLarge(final byte[] src, final int offset, final int length)
    {
        final int slot;
        if (freeLargeCount > 0)
        {
            slot = freeLarge[--freeLargeCount];
        }
        else
        {
            if (largeCount == large.length)
            {
                large = Arrays.copyOf(large, largeCount << 1);
            }
            slot = largeCount++;
        }
        large[slot] = Arrays.copyOfRange(src, offset, offset + length);
        largeBytes += arrayBytes(length);
        return -1 - slot;
    }

    private static int page(final int handle)
    {
        return (handle - 1) >>> OFFSET_BITS;
    }

    private static int recordOffset(final int handle)
    {
        return ((handle - 1) & OFFSET_MASK) << ALIGN_SHIFT;
    }

    private static long arrayBytes(final int length)
    {
        return (ARRAY_HEADER_BYTES + length + 7) & ~7L;
    }

    private static int[] push(final int[] stack, final int at, final int value)
    {
        final int[] grown = at == stack.length ? Arrays.copyOf(stack, at << 1) : stack;
        grown[at] = value;
        return grown;
    }
}
