package io.mote.engine;

import io.mote.engine.tree.TreeLimits;

/**
 * Settings of the engine. Immutable; build with {@link #defaults()} and the {@code with*} methods.
 *
 * @param ringSize     ring slots, a power of two; each slot carries one socket read's commands
 * @param waitStrategy how idle ring threads wait for work
 * @param treeLimits   limits of one tree publish (depth, rows, payload bytes)
 */
public record EngineConfig(int ringSize, WaitStrategyKind waitStrategy, TreeLimits treeLimits)
{
    /** How the ring's consumer threads wait. */
    public enum WaitStrategyKind
    {
        /**
         * Spin briefly, then park until the producer or the stage in front wakes the thread: a
         * message at a low rate crosses each stage in one wake-up, an idle broker's ring threads
         * sleep, and under load nobody parks or signals. The default.
         */
        PARKING,
        /**
         * Spin, yield, then park for doubling spells up to 2 ms, in front of the ring and of every
         * stage alike: no wake-up cost for publishers, stages behind a busy one do not spin, and an
         * idle broker wakes each ring thread about 500 times a second; a message at a low rate
         * waits out the rest of each stage's sleep.
         */
        BACKOFF,
        /**
         * Spin briefly, yield for up to 200 µs, then block: no CPU when idle, and a thread is woken
         * only after it found no work for 200 µs; stages behind a busy one spin on it.
         */
        PHASED,
        /**
         * Spin, then yield, then park about 100 µs at a time: publishers never pay for a wake-up,
         * the fastest ring on a loaded 2-core machine (benchmarks/RESULTS.md), but an idle broker
         * keeps most of a core busy polling.
         */
        SLEEPING,
        /** Lock and condition: no CPU when idle, but every event may cost a thread wake-up. */
        BLOCKING,
        /** Spin then yield: lowest latency, burns a core per ring thread. */
        YIELDING,
        /** Pure spin: only with a dedicated core per ring thread. */
        BUSY_SPIN
    }

    public EngineConfig
    {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("ring size must be a power of two >= 2, was " + ringSize);
        }
        if (waitStrategy == null || treeLimits == null)
        {
            throw new IllegalArgumentException("wait strategy and tree limits are required");
        }
    }

    public static EngineConfig defaults()
    {
        return new EngineConfig(1024, WaitStrategyKind.PARKING, TreeLimits.DEFAULT);
    }

    public EngineConfig withRingSize(final int size)
    {
        return new EngineConfig(size, waitStrategy, treeLimits);
    }

    public EngineConfig withWaitStrategy(final WaitStrategyKind kind)
    {
        return new EngineConfig(ringSize, kind, treeLimits);
    }

    public EngineConfig withTreeLimits(final TreeLimits limits)
    {
        return new EngineConfig(ringSize, waitStrategy, limits);
    }
}
