package io.mote.engine;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.mote.engine.match.Matcher;
import io.mote.engine.pipeline.BackoffWaitStrategy;
import io.mote.engine.pipeline.ParkingWaitStrategy;
import io.mote.engine.pipeline.EngineProducer;
import io.mote.engine.pipeline.Pipeline;
import io.mote.engine.pipeline.RingEvent;
import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.TopicSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Mote engine: a Disruptor ring with the matching stage (single writer of retained rows and
 * subscriptions), then the encoding stage and the journal stage side by side, then the
 * acknowledgement stage behind the journal.
 *
 * <p>Use: construct, {@link #start()}, give each network thread its own {@link #newProducer()},
 * {@link #close()} at shutdown. {@link Outbound} receives everything that leaves.
 */
public final class Engine implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** Matching walks recurse once per topic level; the largest packet may hold ~130 000 levels. */
    private static final long RING_THREAD_STACK_BYTES = 256L * 1024 * 1024;

    /** Beyond this, a node count is not trusted to size arrays up front. */
    private static final long MAX_RESERVED_NODES = 1L << 28;

    private final EngineConfig config;
    private final Disruptor<RingEvent> disruptor;
    private final Pipeline pipeline;
    private final Matcher matcher;
    private volatile boolean started;

    public Engine(final EngineConfig config, final Outbound outbound, final Journal journal, final Authorizer authorizer)
    {
        this.config = config;
        this.matcher = new Matcher(authorizer);
        final WaitStrategy waitStrategy = waitStrategy(config);
        this.disruptor = new Disruptor<>(RingEvent::new, config.ringSize(), new RingThreads(outbound), ProducerType.MULTI, waitStrategy);
        this.pipeline = new Pipeline(disruptor, waitStrategy, matcher, outbound, journal, new LoggingExceptionHandler());
    }

    public Engine(final EngineConfig config, final Outbound outbound)
    {
        this(config, outbound, Journal.NONE, Authorizer.ALLOW_ALL);
    }

    /**
     * Puts back one retained row (an empty payload deletes) while persistence replays its snapshot
     * and journal. Only before {@link #start()}, from one thread: the matching thread does not run
     * yet, and starting the ring publishes everything restored to it.
     */
    public void restoreRetained(final byte[] topic, final int topicOffset, final int topicLength,
        final byte[] payload, final int payloadOffset, final int payloadLength, final int qos)
    {
        if (started)
        {
            throw new IllegalStateException("retained rows can only be restored before the engine starts");
        }
        matcher.restore(topic, topicOffset, topicLength, payload, payloadOffset, payloadLength, qos);
    }

    /**
     * Puts back a subscription of a persistent session recovered from disk, under the subscriber id
     * the transport gave the recreated session. Unlike a SUBSCRIBE it delivers nothing: no retained
     * rows, no sync snapshot (the session already had them before the restart). Only before
     * {@link #start()}, from one thread, like {@link #restoreRetained}.
     *
     * @param filter the filter as the client sent it (a mote sync marker included)
     * @return false when the filter is not valid for the dialect (it is then skipped)
     */
    public boolean restoreSubscription(final long subscriberId, final Dialect dialect, final byte[] filter, final int qos)
    {
        if (started)
        {
            throw new IllegalStateException("subscriptions can only be restored before the engine starts");
        }
        final boolean sync = TopicSyntax.hasSyncMarker(filter, 0, filter.length, dialect);
        final int start = sync ? 1 : 0;
        if (!TopicSyntax.classifyFilter(filter, start, filter.length - start, dialect).isValid())
        {
            return false;
        }
        matcher.subscriptions().subscribe(subscriberId, java.util.Arrays.copyOfRange(filter, start, filter.length), dialect, qos);
        return true;
    }

    /**
     * Tells the engine how many retained-tree nodes a restore is about to need (persistence counts
     * them while verifying the snapshot), so that it sizes its node arrays once instead of doubling
     * through them: each doubling allocates and touches fresh memory, which dominated restarts. A
     * hint; the tree still grows past it. Only before {@link #start()}.
     */
    public void expectRetainedNodes(final long nodes)
    {
        if (started)
        {
            throw new IllegalStateException("retained rows can only be restored before the engine starts");
        }
        matcher.reserveRetained((int)Math.min(nodes, MAX_RESERVED_NODES));
    }

    public void start()
    {
        matcher.finishRestore();
        pipeline.publishStats();
        disruptor.start();
        started = true;
    }

    /** A producer for one thread; producers are cheap but each holds a batch buffer and a parser. */
    public EngineProducer newProducer()
    {
        return pipeline.newProducer(config.treeLimits());
    }

    /**
     * Waits until every stage has processed every event published so far.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitProcessed(final Duration timeout)
    {
        final long target = disruptor.getRingBuffer().getCursor();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (disruptor.getRingBuffer().getMinimumGatingSequence() < target)
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return true;
    }

    public EngineStats stats()
    {
        return pipeline.stats();
    }

    public EngineConfig config()
    {
        return config;
    }

    /** Processes what is queued, then stops the ring threads. */
    @Override
    public void close()
    {
        if (!started)
        {
            return;
        }
        started = false;
        try
        {
            disruptor.shutdown(30, TimeUnit.SECONDS);
        }
        catch (final com.lmax.disruptor.TimeoutException ex)
        {
            LOG.warn("engine did not drain within 30 s; halting with events still queued");
            disruptor.halt();
        }
    }

    private static WaitStrategy waitStrategy(final EngineConfig config)
    {
        return switch (config.waitStrategy())
        {
            case PARKING -> new ParkingWaitStrategy();
            case BACKOFF -> new BackoffWaitStrategy(2_000_000);
            case PHASED -> PhasedBackoffWaitStrategy.withLiteLock(10, 200, TimeUnit.MICROSECONDS);
            case BLOCKING -> new BlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }

    private static final class RingThreads implements ThreadFactory
    {
        private final AtomicInteger count = new AtomicInteger();
        private final Outbound outbound;

        RingThreads(final Outbound outbound)
        {
            this.outbound = outbound;
        }

        @Override
        public Thread newThread(final Runnable runnable)
        {
            final Thread thread = outbound.newRingThread(runnable, "mote-ring-" + count.incrementAndGet(), RING_THREAD_STACK_BYTES);
            thread.setDaemon(true);
            return thread;
        }
    }

    /** A bug in a stage must not stop the broker: log the event's sequence and go on. */
    private static final class LoggingExceptionHandler implements ExceptionHandler<RingEvent>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final RingEvent event)
        {
            LOG.error("ring stage failed on event {}; the event's remaining work is skipped", sequence, ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            LOG.error("ring stage failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            LOG.error("ring stage failed to stop", ex);
        }
    }
}
