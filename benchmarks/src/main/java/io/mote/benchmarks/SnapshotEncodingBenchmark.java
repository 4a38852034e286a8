package io.mote.benchmarks;

import io.mote.engine.Engine;
import io.mote.engine.EngineConfig;
import io.mote.engine.pipeline.EngineProducer;
import io.mote.engine.pipeline.InvalidPublishException;
import io.mote.engine.topic.Dialect;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A sync subscription to {@code +/+/+} over 100 000 retained rows: the matcher cuts the snapshot,
 * the encoder writes it as one JSON tree. One operation is one snapshot delivered; the JSON size
 * per snapshot is printed at setup, so size divided by the time per operation gives the JSON rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class SnapshotEncodingBenchmark
{
    private static final int ROWS = 100_000;

    private final CountingOutbound outbound = new CountingOutbound();
    private Engine engine;
    private EngineProducer producer;
    private final byte[] filter = "/+/+/+".getBytes(StandardCharsets.UTF_8);

    @Setup(Level.Trial)
    public void start() throws InvalidPublishException
    {
        engine = new Engine(EngineConfig.defaults().withRingSize(1024), outbound);
        engine.start();
        producer = engine.newProducer();
        final byte[] payload = "21.50000".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < ROWS; i++)
        {
            final byte[] topic = ("site" + (i % 100) + "/dev" + (i / 100 % 100) + "/m" + (i / 10_000)).getBytes(StandardCharsets.UTF_8);
            producer.publish(1, Dialect.MOTE, topic, 0, topic.length, payload, 0, payload.length, 0, true, 0);
            if (i % 64 == 63)
            {
                producer.flush();
            }
        }
        producer.flush();
        engine.awaitProcessed(Duration.ofSeconds(60));
        if (engine.stats().retainedRows() != ROWS)
        {
            throw new IllegalStateException("expected " + ROWS + " retained rows, have " + engine.stats().retainedRows());
        }
        final long snapshotBytes = snapshot();
        System.out.println("snapshot JSON bytes per operation: " + snapshotBytes);
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        engine.close();
    }

    @Benchmark
    public long syncSnapshotOf100kRows()
    {
        return snapshot();
    }

    private long snapshot()
    {
        final long messagesBefore = outbound.messages();
        final long bytesBefore = outbound.payloadBytes();
        producer.subscribe(2, Dialect.MOTE, filter, 0, filter.length, 0);
        producer.flush();
        while (outbound.messages() == messagesBefore)
        {
            // Yield, not spin: on two cores a spinning benchmark thread takes the core the
            // matching and encoding threads need.
            Thread.yield();
        }
        return outbound.payloadBytes() - bytesBefore;
    }
}
