package io.mote.benchmarks;

import io.mote.engine.subscription.MatchConsumer;
import io.mote.engine.subscription.SubscriptionTrie;
import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.LevelTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Matching one row against 100 000 subscriptions: about 70% exact filters, 20% with one or two
 * {@code +} levels and 10% ending in {@code #}, half in each dialect, over topic shapes seen from
 * IoT fleets. One op is one row; the score is rows per second, and {@code -prof gc} must show
 * 0 B/op because the matching stage runs this per row.
 *
 * <p>Topics are precomputed as level-id arrays, as the matching stage holds them after interning.
 * About one topic in eight names a device no filter mentions, so unknown levels
 * ({@link LevelTable#NO_LEVEL}) are on the path too, and one in a hundred is a {@code $} topic.
 * A row matches about 3 subscriptions on average (at most about 15). The 16k topics spread over
 * about 160k trie nodes, so most rows walk nodes that are not in cache, as a broker's would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SubscriptionTrieBenchmark
{
    private static final int SUBSCRIPTIONS = 100_000;
    private static final int TOPICS = 1 << 14;
    private static final long SEED = 0x5EED_7219L;

    private static final String[] METRICS = {"temp", "humidity", "co2", "power", "voltage", "rssi", "battery", "state"};
    private static final String[] ROOMS = {"kitchen", "bedroom", "living", "bath", "hall", "office", "garage", "attic"};
    private static final int SITES = 1_000;
    private static final int DEVICES_PER_SITE = 50;
    private static final int HOMES = 1_000;
    private static final int VEHICLES = 5_000;
    private static final int TENANT_LEVELS = 2;

    private SubscriptionTrie trie;
    private int[][] topics;
    private boolean[] dollarTopics;
    private MatchConsumer consumer;
    private int cursor;

    @Setup
    public void setUp(final Blackhole blackhole)
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final LevelTable levels = new LevelTable();
        trie = new SubscriptionTrie(levels);
        for (int id = 0; id < SUBSCRIPTIONS; id++)
        {
            final String[] filter = topic(random, false);
            final int kind = random.nextInt(10);
            if (kind < 2)
            {
                plusLevels(random, filter);
            }
            final String text = kind == 2 ? hashBelow(random, filter) : String.join("/", filter);
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            trie.add(id, bytes, 0, bytes.length, random.nextBoolean() ? Dialect.MOTE : Dialect.MQTT);
        }

        topics = new int[TOPICS][];
        dollarTopics = new boolean[TOPICS];
        for (int i = 0; i < TOPICS; i++)
        {
            final boolean dollar = random.nextInt(100) == 0;
            final String[] topic = dollar ?
                new String[] {"$SYS", "broker", "load", METRICS[random.nextInt(METRICS.length)]} :
                topic(random, random.nextInt(8) == 0);
            topics[i] = levelIds(levels, topic);
            dollarTopics[i] = dollar;
        }
        consumer = blackhole::consume;
    }

    @Benchmark
    public int matchRow()
    {
        final int i = cursor++ & (TOPICS - 1);
        final int[] topic = topics[i];
        return trie.match(topic, topic.length, dollarTopics[i], consumer);
    }

    /** A 4 to 6 level topic of one of three shapes; {@code unknownDevice} picks an id beyond any filter. */
    private static String[] topic(final SplittableRandom random, final boolean unknownDevice)
    {
        final String metric = METRICS[random.nextInt(METRICS.length)];
        final int unknown = unknownDevice ? 1 + random.nextInt(1000) : 0;
        return switch (random.nextInt(3))
        {
            case 0 -> new String[] {
                "site", "s" + random.nextInt(SITES), "device", "d" + pick(random, DEVICES_PER_SITE, unknown), "metric", metric};
            case 1 -> new String[] {"home", "h" + pick(random, HOMES, unknown), "room", ROOMS[random.nextInt(ROOMS.length)], metric};
            default -> new String[] {"fleet", "v" + pick(random, VEHICLES, unknown), "sensor", metric};
        };
    }

    /** An id below {@code known}, or {@code unknown > 0} ids beyond it, which no filter names. */
    private static int pick(final SplittableRandom random, final int known, final int unknown)
    {
        return unknown > 0 ? known + unknown : random.nextInt(known);
    }

    /**
     * One or two levels below the tenant (the first two levels) become {@code +}, as in
     * {@code site/s7/device/+/metric/temp}: clients watch their own site, home or vehicle. Thousands
     * of subscribers to one fleet-wide filter would measure the consumer, not the trie.
     */
    private static void plusLevels(final SplittableRandom random, final String[] filter)
    {
        final int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++)
        {
            filter[TENANT_LEVELS + random.nextInt(filter.length - TENANT_LEVELS)] = "+";
        }
    }

    /** Keeps two to four levels and appends {@code #}: a whole site, device or room. */
    private static String hashBelow(final SplittableRandom random, final String[] filter)
    {
        final int kept = 2 + random.nextInt(Math.min(3, filter.length - 2));
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < kept; i++)
        {
            text.append(filter[i]).append('/');
        }
        return text.append('#').toString();
    }

    private static int[] levelIds(final LevelTable levels, final String[] topic)
    {
        final int[] ids = new int[topic.length];
        for (int i = 0; i < topic.length; i++)
        {
            final byte[] bytes = topic[i].getBytes(StandardCharsets.UTF_8);
            ids[i] = levels.find(bytes, 0, bytes.length);
        }
        return ids;
    }
}
