package io.mote.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Parked ring threads wake on a signal, not on their safety timeout: the strategy here times out
 * after an hour, so a missing signal fails the test instead of slowing it.
 */
class ParkingWaitStrategyTest
{
    private static final long AN_HOUR = TimeUnit.HOURS.toNanos(1);

    private final ParkingWaitStrategy strategy = new ParkingWaitStrategy(AN_HOUR);
    private Disruptor<long[]> disruptor;

    @AfterEach
    void halt()
    {
        if (disruptor != null)
        {
            disruptor.halt();
        }
    }

    @Test
    void shouldWakeParkedStageWhenProducerPublishes()
    {
        final Stage stage = new Stage();
        disruptor = ring();
        disruptor.handleEventsWith(strategy.signalling(stage));
        disruptor.start();
        awaitParked(stage);

        disruptor.getRingBuffer().publishEvent((event, sequence) -> event[0] = 7);

        await().atMost(Duration.ofSeconds(10)).until(() -> stage.seen.get() == 7);
    }

    @Test
    void shouldWakeStageBehindWhenStageInFrontFinishesItsRun() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final Stage front = new Stage(release);
        final Stage behind = new Stage();
        disruptor = ring();
        disruptor.handleEventsWith(strategy.signalling(front)).then(strategy.signalling(behind));
        disruptor.start();
        awaitParked(front);
        awaitParked(behind);

        disruptor.getRingBuffer().publishEvent((event, sequence) -> event[0] = 9);
        // The publish wakes both; the stage behind finds nothing and parks again while the front works.
        await().atMost(Duration.ofSeconds(10)).until(() -> front.running);
        Thread.sleep(100);
        awaitParked(behind);
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> behind.seen.get() == 9);
    }

    @Test
    void shouldRefuseSafetyParkShorterThanAMicrosecond()
    {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new ParkingWaitStrategy(999));
    }

    private Disruptor<long[]> ring()
    {
        return new Disruptor<>(() -> new long[1], 8, Thread::new, ProducerType.MULTI, strategy);
    }

    private void awaitParked(final Stage stage)
    {
        await().atMost(Duration.ofSeconds(10)).until(() ->
        {
            final Thread thread = stage.thread.get();
            return thread != null && thread.getState() == Thread.State.TIMED_WAITING && LockSupport.getBlocker(thread) == strategy;
        });
    }

    private static final class Stage implements EventHandler<long[]>
    {
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final AtomicLong seen = new AtomicLong();
        final CountDownLatch release;
        volatile boolean running;

        Stage()
        {
            this(new CountDownLatch(0));
        }

        Stage(final CountDownLatch release)
        {
            this.release = release;
        }

        @Override
        public void onStart()
        {
            thread.set(Thread.currentThread());
        }

        @Override
        public void onEvent(final long[] event, final long sequence, final boolean endOfBatch) throws Exception
        {
            running = true;
            release.await();
            seen.set(event[0]);
        }
    }
}
