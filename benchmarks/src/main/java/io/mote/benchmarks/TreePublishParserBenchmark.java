package io.mote.benchmarks;

import io.mote.engine.tree.TreeLimits;
import io.mote.engine.tree.TreePublishParser;
import io.mote.engine.tree.TreePublishRejectedException;
import io.mote.engine.tree.TreeRowSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Rows per second spread from 100-row tree publishes: a 10 x 10 tree under {@code site/+/+} and a
 * flat 100-key object under {@code site/hall/+}. Values mix strings, numbers with fractions and
 * booleans, as device telemetry does. Run with {@code -prof gc}: the target is 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TreePublishParserBenchmark {
    private static final int ROWS = 100;

    private final TreePublishParser parser = new TreePublishParser(TreeLimits.DEFAULT);
    private final byte[] nestedPattern = utf8("site/+/+");
    private final byte[] flatPattern = utf8("site/hall/+");
    private byte[] nestedPayload;
    private byte[] flatPayload;
    private TreeRowSink sink;

    @Setup
    public void setUp(Blackhole blackhole) throws TreePublishRejectedException {
        final StringBuilder nested = new StringBuilder("{");
        for (int room = 0; room < 10; room++) {
            nested.append(room == 0 ? "" : ", ").append("\"room").append(room).append("\": {");
            for (int sensor = 0; sensor < 10; sensor++) {
                nested.append(sensor == 0 ? "" : ", ").append(entry(room * 10 + sensor));
            }
            nested.append('}');
        }
        nestedPayload = utf8(nested.append('}').toString());

        final StringBuilder flat = new StringBuilder("{");
        for (int i = 0; i < ROWS; i++) {
            flat.append(i == 0 ? "" : ", ").append(entry(i));
        }
        flatPayload = utf8(flat.append('}').toString());

        sink = new TreeRowSink() {
            @Override
            public void row(byte[] topic, int topicLength, byte[] payload, int payloadOffset, int payloadLength, boolean delete) {
                blackhole.consume(topic[topicLength - 1]);
                blackhole.consume(payload[payloadOffset]);
                blackhole.consume(payloadLength);
            }

            @Override
            public void withdraw(int fromRow, int toRow) {
                blackhole.consume(toRow - fromRow);
            }
        };
        if (nested10x10() != ROWS || flat100() != ROWS) {
            throw new IllegalStateException("benchmark payloads must spread into " + ROWS + " rows");
        }
    }

    private static String entry(int i) {
        switch (i % 3) {
            case 0: return "\"temp_" + i + "\": " + (20 + i % 7) + "." + (i % 10) + "5";
            case 1: return "\"is_on_" + i + "\": \"" + (i % 2) + "\"";
            default: return "\"color_" + i + "\": \"#FF" + i + "FF\"";
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int nested10x10() throws TreePublishRejectedException {
        return parser.parse(nestedPattern, 0, nestedPattern.length, nestedPayload, 0, nestedPayload.length, true, sink);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int flat100() throws TreePublishRejectedException {
        return parser.parse(flatPattern, 0, flatPattern.length, flatPayload, 0, flatPayload.length, true, sink);
    }
}
