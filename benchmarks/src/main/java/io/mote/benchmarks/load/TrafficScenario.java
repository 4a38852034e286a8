package io.mote.benchmarks.load;

import io.mote.engine.topic.Dialect;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Publishers and subscribers exchanging live messages: fan-in (N publishers to bench/pN/tK, one
 * subscriber to every topic) and fan-out (one publisher, N subscribers), at full speed or a fixed
 * rate, any QoS, plain or tree publishes; with {@code --sample}, the soak's once-a-second report of the
 * broker's RSS and heap. Full speed reports rows (or messages) received per second; a fixed rate
 * reports the coordinated-omission-corrected p99, since there the throughput is the rate asked for.
 */
final class TrafficScenario
{
    private final LoadGenerator generator;
    private final LoadOptions options;

    TrafficScenario(final LoadGenerator generator)
    {
        this.generator = generator;
        this.options = generator.options();
    }

    LoadResult run() throws Exception
    {
        final boolean fanIn = options.scenario().equals("fan-in");
        final int publishers = fanIn ? options.clients() : 1;
        final int subscribers = fanIn ? options.subscribers() : options.clients();
        final boolean mote = options.dialect() == Dialect.MOTE;
        // A mote filter matches rows of exactly its depth, hence + + rather than #.
        final String filter = fanIn ? (mote ? "bench/+/+" : "bench/#") : (mote ? "bench/p0/+" : "bench/p0/#");
        final Receiver.Stamps stamps = options.tree() ? Receiver.Stamps.JSON : mote ? Receiver.Stamps.NONE : Receiver.Stamps.BINARY;
        final int rowsPerMessage = mote && options.tree() ? options.batch() : 1;

        final List<LoadClient> subs = new ArrayList<>();
        final LoadGenerator.Gate subsReady = new LoadGenerator.Gate(subscribers, 256);
        for (int i = 0; i < subscribers; i++)
        {
            subs.add(generator.client(subsReady, "sub-" + i, filter, null, new Receiver(stamps, rowsPerMessage, 0, null)));
        }
        subsReady.await("subscribers", false);
        final List<LoadClient> pubs = new ArrayList<>();
        final LoadGenerator.Gate pubsReady = new LoadGenerator.Gate(publishers, 256);
        for (int i = 0; i < publishers; i++)
        {
            final PublishFrames frames = new PublishFrames("bench/p" + i, true, options.tree(), fanIn ? options.batch() : 1,
                options.payload(), options.qos(), options.retain());
            pubs.add(generator.client(pubsReady, "pub-" + i, null,
                new Publisher(frames, options.qos(), options.window(), options.rate() / (double)publishers, -1, null), null));
        }
        pubsReady.await("publishers", false);
        pubs.forEach(p -> p.publisher().start());
        Thread.sleep(options.warmupSeconds() * 1000L);

        for (final LoadClient sub : subs)
        {
            sub.onLoop(() ->
            {
                sub.receiver().reset();
                return null;
            });
        }
        final long messagesBefore = messages(subs);
        final long sentBefore = sent(pubs);
        final long ackedBefore = acknowledged(pubs);
        final ProcessStats.Clock cpu = ProcessStats.start(options.brokerPid());
        final Map<String, Object> extra = new LinkedHashMap<>();
        if (options.sample() && options.brokerPid() > 0)
        {
            soak(subs, extra);
        }
        else
        {
            Thread.sleep(options.seconds() * 1000L);
        }
        final long messagesAfter = messages(subs);
        final long sentAfter = sent(pubs);
        final long ackedAfter = acknowledged(pubs);
        final ProcessStats.Reading reading = cpu.stop();
        pubs.forEach(p -> p.publisher().stop());

        final Histogram latency = new Histogram(3_600_000_000L, 3);
        final Histogram raw = new Histogram(3_600_000_000L, 3);
        for (final LoadClient sub : subs)
        {
            latency.add(sub.onLoop(() -> sub.receiver().corrected.copy()));
            raw.add(sub.onLoop(() -> sub.receiver().raw.copy()));
        }
        final double seconds = reading.seconds();
        final double rowsPerSecond = (messagesAfter - messagesBefore) * (double)rowsPerMessage / seconds;
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("msg_per_s", (messagesAfter - messagesBefore) / seconds);
        fields.put("rows_per_s", rowsPerSecond);
        fields.put("sent_per_s", (sentAfter - sentBefore) / seconds);
        fields.put("sent_rows_per_s", (sentAfter - sentBefore) * (double)pubs.get(0).publisher().rowsPerFrame() / seconds);
        fields.put("acked_per_s", (ackedAfter - ackedBefore) / seconds);
        fields.put("window", options.qos() > 0 ? options.window() : 0);
        fields.put("retain", options.retain());
        fields.put("rate", options.rate());
        fields.putAll(extra);
        final double rss = ProcessStats.rssMib(options.brokerPid());
        if (options.rate() > 0)
        {
            return new LoadResult(options, "p99 us", latency.getTotalCount() > 0 ? latency.getValueAtPercentile(99) : Double.NaN,
                false, latency, raw, reading, rss, fields);
        }
        if (subs.isEmpty())
        {
            // Nothing is delivered: the publishers' acknowledgements are the end-to-end rate.
            return new LoadResult(options, "acked msg/s", (ackedAfter - ackedBefore) / seconds, true, latency, raw, reading, rss, fields);
        }
        return new LoadResult(options, options.countsRows() ? "rows/s" : "msg/s", rowsPerSecond, true, latency, raw, reading, rss, fields);
    }

    /** The soak: the broker's RSS and heap and the receive rate, printed once a second for the whole run. */
    private void soak(final List<LoadClient> subs, final Map<String, Object> extra) throws Exception
    {
        double firstRss = Double.NaN;
        double maxRss = 0;
        double maxHeap = Double.NaN;
        try (ProcessStats.HeapSampler heap = new ProcessStats.HeapSampler(options.brokerPid()))
        {
            long previous = messages(subs);
            final long start = System.nanoTime();
            for (int second = 1; second <= options.seconds(); second++)
            {
                Thread.sleep(Math.max(0, (start + second * 1_000_000_000L - System.nanoTime()) / 1_000_000));
                final long now = messages(subs);
                final double rss = ProcessStats.rssMib(options.brokerPid());
                final double heapMib = heap.heapMib();
                firstRss = second == 1 ? rss : firstRss;
                maxRss = Math.max(maxRss, rss);
                maxHeap = Double.isNaN(heapMib) ? maxHeap : Double.isNaN(maxHeap) ? heapMib : Math.max(maxHeap, heapMib);
                System.out.println(String.format(Locale.ROOT, "SAMPLE label=%s t=%d msg_per_s=%d broker_rss_mib=%.1f broker_heap_mib=%.1f",
                    options.label().isEmpty() ? "-" : options.label(), second, now - previous, rss, heapMib));
                previous = now;
            }
        }
        extra.put("rss_first_mib", firstRss);
        extra.put("rss_max_mib", maxRss);
        extra.put("heap_max_mib", maxHeap);
    }

    private static long messages(final List<LoadClient> subs)
    {
        return subs.stream().mapToLong(c -> c.receiver().messages()).sum();
    }

    private static long acknowledged(final List<LoadClient> pubs)
    {
        return pubs.stream().mapToLong(c -> c.publisher().acknowledgedCount()).sum();
    }

    private static long sent(final List<LoadClient> pubs)
    {
        return pubs.stream().mapToLong(c -> c.publisher().sent()).sum();
    }
}
