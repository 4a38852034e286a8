package io.mote.benchmarks.load;

import io.mote.engine.topic.Dialect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A late joiner's view of a large retained state. First one client retains {@code --rows} rows under
 * snap/gK/tI at QoS 1 and waits for its last acknowledgement (brokers handle one connection's packets
 * in order, so every row is in place before the next step). Then one subscriber subscribes and the
 * clock runs from its SUBSCRIBE until every row has arrived.
 *
 * <p>Mote: rows loaded as {@code --batch}-row tree publishes, and a sync subscription
 * {@code /snap/+/+} that receives all of them as one JSON snapshot, counted by its leaves. Peers (the
 * plain-MQTT equivalent): one retained publish per row, and {@code snap/#} receiving one retained
 * message per row.
 */
final class SnapshotScenario
{
    private final LoadGenerator generator;
    private final LoadOptions options;

    SnapshotScenario(final LoadGenerator generator)
    {
        this.generator = generator;
        this.options = generator.options();
    }

    LoadResult run() throws Exception
    {
        final boolean tree = options.tree();
        final long frames = tree ? (options.rows() + options.batch() - 1) / options.batch() : options.rows();
        final long rows = tree ? frames * options.batch() : options.rows();

        final CountDownLatch loaded = new CountDownLatch(1);
        final PublishFrames loadFrames = new PublishFrames("snap", false, tree, options.batch(), options.payload(), 1, true);
        final LoadGenerator.Gate loaderReady = new LoadGenerator.Gate(1, 1);
        final LoadClient loader = generator.client(loaderReady, "snapshot-loader", null,
            new Publisher(loadFrames, 1, 0, frames, loaded::countDown), null);
        loaderReady.await("snapshot loader", false);
        final long loadStart = System.nanoTime();
        loader.publisher().start();
        // No fixed deadline for 1 M rows on an unknown machine; a minute without a new acknowledgement is a stall.
        long lastAcked = -1;
        while (!loaded.await(60, TimeUnit.SECONDS))
        {
            final long acked = loader.publisher().acknowledgedCount();
            if (acked == lastAcked)
            {
                throw new IllegalStateException("loading stalled: " + loader.publisher().sent() + " publishes sent, " + acked
                    + " acknowledged, connection " + (loader.ready() ? "open" : "failed"));
            }
            lastAcked = acked;
        }
        final double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

        final CountDownLatch received = new CountDownLatch(1);
        final boolean mote = options.dialect() == Dialect.MOTE;
        final Receiver receiver = new Receiver(mote ? Receiver.Stamps.JSON : Receiver.Stamps.NONE, 1, rows, received::countDown);
        final ProcessStats.Clock cpu = ProcessStats.start(options.brokerPid());
        final LoadGenerator.Gate subscriberReady = new LoadGenerator.Gate(1, 1);
        final LoadClient subscriber = generator.client(subscriberReady, "snapshot-subscriber", mote ? "/snap/+/+" : "snap/#", null, receiver);
        subscriberReady.await("snapshot subscriber", false);
        // A broker that drops or stops sending (a queue limit on the subscriber) shows as rows that stop arriving.
        long lastRows = -1;
        while (!received.await(30, TimeUnit.SECONDS))
        {
            if (receiver.rows() == lastRows || !subscriber.ready())
            {
                throw new IllegalStateException("snapshot incomplete, no rows for 30 s: " + receiver.rows() + " of " + rows
                    + " rows arrived, connection " + (subscriber.ready() ? "open" : "closed"));
            }
            lastRows = receiver.rows();
        }
        final ProcessStats.Reading reading = cpu.stop();
        final double seconds = (receiver.expectedRowsAtNanos() - subscriber.subscribeSentNanos()) / 1e9;
        final Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("rows", rows);
        extra.put("snapshot_seconds", seconds);
        extra.put("load_seconds", loadSeconds);
        subscriber.close();
        loader.close();
        return new LoadResult(options, "rows/s", rows / seconds, true, LoadResult.empty(), LoadResult.empty(), reading,
            ProcessStats.rssMib(options.brokerPid()), extra);
    }
}
