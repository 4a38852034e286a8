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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The whole ring in-process: one producer thread publishing into the engine (matching, encoding,
 * journal no-op, acks) with 1 000 subscriptions and a counting {@link io.mote.engine.Outbound}.
 * The ring applies back-pressure, so the producer's rate is the pipeline's rate.
 *
 * <p>Subscriptions: 500 mote wildcard filters {@code site/K/+/temp} and 500 mqtt-dialect exact
 * filters {@code site/K/d0/temp}. A 100-row tree publish to {@code site/K/+/} updates 100 devices
 * of one site; a single-row publish updates one device.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RingThroughputBenchmark
{
    private static final int SITES = 500;
    private static final int DEVICES = 100;

    /** How idle ring threads wait: the cost of waking them is part of the per-event cost. */
    @Param({"PARKING", "BACKOFF", "PHASED", "SLEEPING"})
    public String waitStrategy;

    private Engine engine;
    private EngineProducer producer;
    private byte[][] treeTopics;
    private byte[] treePayload;
    private byte[][] rowTopics;
    private final byte[] rowPayload = "21.5".getBytes(StandardCharsets.UTF_8);
    private int next;

    @Setup(Level.Trial)
    public void start()
    {
        engine = new Engine(EngineConfig.defaults().withRingSize(1024).withWaitStrategy(EngineConfig.WaitStrategyKind.valueOf(waitStrategy)), new CountingOutbound());
        engine.start();
        producer = engine.newProducer();
        for (int site = 0; site < SITES; site++)
        {
            final byte[] mote = ("site/" + site + "/+/temp").getBytes(StandardCharsets.UTF_8);
            producer.subscribe(1_000 + site, Dialect.MOTE, mote, 0, mote.length, 0);
            final byte[] mqtt = ("site/" + site + "/d0/temp").getBytes(StandardCharsets.UTF_8);
            producer.subscribe(2_000 + site, Dialect.MQTT, mqtt, 0, mqtt.length, 0);
            producer.flush();
        }
        treeTopics = new byte[SITES][];
        rowTopics = new byte[SITES * DEVICES][];
        final StringBuilder tree = new StringBuilder("{");
        for (int device = 0; device < DEVICES; device++)
        {
            tree.append(device == 0 ? "" : ",").append("\"d").append(device).append("\":{\"temp\":\"2").append(device % 10).append(".5\"}");
        }
        treePayload = tree.append('}').toString().getBytes(StandardCharsets.UTF_8);
        for (int site = 0; site < SITES; site++)
        {
            treeTopics[site] = ("site/" + site + "/+/").getBytes(StandardCharsets.UTF_8);
            for (int device = 0; device < DEVICES; device++)
            {
                rowTopics[site * DEVICES + device] = ("site/" + site + "/d" + device + "/temp").getBytes(StandardCharsets.UTF_8);
            }
        }
        engine.awaitProcessed(Duration.ofSeconds(30));
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        engine.close();
    }

    @Benchmark
    @OperationsPerInvocation(DEVICES)
    public long treeOf100Rows() throws InvalidPublishException
    {
        final byte[] topic = treeTopics[next++ % SITES];
        producer.publish(7, Dialect.MOTE, topic, 0, topic.length, treePayload, 0, treePayload.length, 0, false, 0);
        return producer.flush();
    }

    @Benchmark
    public long singleRow() throws InvalidPublishException
    {
        final byte[] topic = rowTopics[next++ % rowTopics.length];
        producer.publish(7, Dialect.MOTE, topic, 0, topic.length, rowPayload, 0, rowPayload.length, 0, false, 0);
        return producer.flush();
    }
}
