package io.mote.benchmarks.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many clients arriving at once. The storm connects {@code --clients} clients, each subscribing to its
 * own topic, with 256 handshakes in flight, and reports connects per second from the first CONNECT to
 * the last SUBACK; then, with every connection idle, the broker's RSS. The idle scenario only connects
 * and reports that RSS, the figure the "RSS within 2x Mosquitto" target is about.
 *
 * <p>Needs file descriptors for every connection on both sides: compare.sh raises {@code ulimit -n}.
 */
final class StormScenario
{
    private static final int IN_FLIGHT = 256;

    private final LoadGenerator generator;
    private final LoadOptions options;

    StormScenario(final LoadGenerator generator)
    {
        this.generator = generator;
        this.options = generator.options();
    }

    LoadResult run(final boolean subscribe) throws Exception
    {
        final double rssBefore = ProcessStats.rssMib(options.brokerPid());
        final ProcessStats.Clock cpu = ProcessStats.start(options.brokerPid());
        final long start = System.nanoTime();
        final LoadGenerator.Gate gate = new LoadGenerator.Gate(options.clients(), IN_FLIGHT);
        final List<LoadClient> clients = new ArrayList<>(options.clients());
        for (int i = 0; i < options.clients(); i++)
        {
            clients.add(generator.client(gate, (subscribe ? "storm-" : "idle-") + i, subscribe ? "storm/c" + i : null, null, null));
        }
        gate.await("connections", true);
        final double seconds = (System.nanoTime() - start) / 1e9;
        final ProcessStats.Reading reading = cpu.stop();
        // Let the broker settle (GC, buffers released after the handshakes) before its RSS counts as idle.
        Thread.sleep(Math.min(options.seconds(), 5) * 1000L);
        final double rss = ProcessStats.rssMib(options.brokerPid());
        final Map<String, Object> extra = new LinkedHashMap<>();
        final int connected = options.clients() - gate.failed();
        extra.put("connected", connected);
        extra.put("failed", gate.failed());
        extra.put("connect_seconds", seconds);
        extra.put("rss_before_mib", rssBefore);
        clients.forEach(LoadClient::close);
        if (gate.failed() > 0)
        {
            System.err.println("load generator: " + gate.failed() + " of " + options.clients()
                + " connections failed (file descriptors? ulimit -n is needed on both sides)");
        }
        if (subscribe)
        {
            return new LoadResult(options, "connects/s", connected / seconds, true, LoadResult.empty(), LoadResult.empty(), reading, rss, extra);
        }
        return new LoadResult(options, "RSS MiB", rss, false, LoadResult.empty(), LoadResult.empty(), reading, rss, extra);
    }
}
