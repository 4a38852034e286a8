package io.mote.engine.tree;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The keys seen so far in every open JSON object of one parse, each with the range of emitted
 * row indexes its latest value produced, so that a repeated key can withdraw the rows of its
 * earlier occurrence (§2.3: the last one wins, as in JavaScript).
 *
 * <p>Invariant: entries form a stack of frames, one frame per open object, innermost last; a
 * frame holds each distinct decoded key of its object exactly once, in first-seen order, and
 * {@code rowFrom..rowTo} of an entry is the emitted-row range of the key's latest complete value.
 * Every entry is also the head of its hash chain at the moment it is pushed, and entries leave
 * only from the top of the stack ({@link #close()}), so popping one restores its chain exactly.
 *
 * <p>The hash multiplier is random per instance so payloads cannot be crafted to collide in
 * every broker. Not thread-safe; owned by one {@link TreePublishParser}. Arrays grow to the
 * largest payload seen and are kept, so nothing is allocated once they are big enough.
 */
final class SeenKeys {
    private final int multiplier = ThreadLocalRandom.current().nextInt() | 1;

    /** Decoded key bytes of every entry, stacked like the entries. */
    private byte[] arena = new byte[256];
    private int arenaLength;

    private int count;
    private int[] hash = new int[16];
    private int[] frame = new int[16];
    private int[] keyStart = new int[16];
    private int[] keyLength = new int[16];
    private int[] rowFrom = new int[16];
    private int[] rowTo = new int[16];
    /** Next entry in the same hash chain, or -1. */
    private int[] next = new int[16];
    /** Newest entry of each chain, or -1; length is a power of two. */
    private int[] heads = new int[32];

    /** Entry count when each open frame started; {@code frames} is the number of open objects. */
    private int[] frameBase = new int[8];
    private int frames;

    SeenKeys() {
        Arrays.fill(heads, -1);
    }

    /** Forgets everything, e.g. what a rejected parse left behind. */
    void reset() {
        if (count > 0) {
            Arrays.fill(heads, -1);
        }
        count = 0;
        arenaLength = 0;
        frames = 0;
    }

    /** Starts the frame of an object whose first key is about to be read. */
    void open() {
        if (frames == frameBase.length) {
            frameBase = Arrays.copyOf(frameBase, frames * 2);
        }
        frameBase[frames++] = count;
    }

    /** Drops the innermost frame: its object has ended. */
    void close() {
        final int base = frameBase[--frames];
        while (count > base) {
            final int e = --count;
            heads[hash[e] & (heads.length - 1)] = next[e];
            arenaLength = keyStart[e];
        }
    }

    /**
     * Finds {@code key[from, to)} in the innermost frame, adding it with an empty row range when
     * it is new. When it is a repeat, withdraws from the sink the rows its earlier value
     * produced, whatever their topics: the value about to be parsed replaces them all.
     *
     * @return the key's entry, valid until the innermost frame closes
     */
    int put(byte[] key, int from, int to, TreeRowSink sink) {
        int h = frames;
        for (int i = from; i < to; i++) {
            h = (h + key[i]) * multiplier;
        }
        h ^= h >>> 16;
        for (int e = heads[h & (heads.length - 1)]; e >= 0; e = next[e]) {
            if (hash[e] == h && frame[e] == frames && Arrays.equals(arena, keyStart[e], keyStart[e] + keyLength[e], key, from, to)) {
                if (rowTo[e] > rowFrom[e]) {
                    sink.withdraw(rowFrom[e], rowTo[e]);
                }
                return e;
            }
        }
        return add(h, key, from, to);
    }

    /** Records the emitted-row range of the value just parsed for the entry's key. */
    void produced(int entry, int from, int to) {
        rowFrom[entry] = from;
        rowTo[entry] = to;
    }

    private int add(int h, byte[] key, int from, int to) {
        final int length = to - from;
        if (arenaLength + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arenaLength + length, arena.length * 2));
        }
        System.arraycopy(key, from, arena, arenaLength, length);
        final int e = count;
        if (e == hash.length) {
            growEntries(e * 2);
        }
        hash[e] = h;
        frame[e] = frames;
        keyStart[e] = arenaLength;
        keyLength[e] = length;
        rowFrom[e] = 0;
        rowTo[e] = 0;
        arenaLength += length;
        count = e + 1;
        if (count > heads.length - (heads.length >>> 2)) {
            rehash(heads.length * 2);
        } else {
            final int bucket = h & (heads.length - 1);
            next[e] = heads[bucket];
            heads[bucket] = e;
        }
        return e;
    }

    private void growEntries(int capacity) {
        hash = Arrays.copyOf(hash, capacity);
        frame = Arrays.copyOf(frame, capacity);
        keyStart = Arrays.copyOf(keyStart, capacity);
        keyLength = Arrays.copyOf(keyLength, capacity);
        rowFrom = Arrays.copyOf(rowFrom, capacity);
        rowTo = Arrays.copyOf(rowTo, capacity);
        next = Arrays.copyOf(next, capacity);
    }

    /** Rebuilds the chains oldest entry first, so each chain's head is again its newest entry. */
    private void rehash(int size) {
        heads = new int[size];
        Arrays.fill(heads, -1);
        for (int e = 0; e < count; e++) {
            final int bucket = hash[e] & (size - 1);
            next[e] = heads[bucket];
            heads[bucket] = e;
        }
    }
}
