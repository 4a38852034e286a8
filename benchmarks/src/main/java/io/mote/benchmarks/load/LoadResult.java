package io.mote.benchmarks.load;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One scenario's outcome, as a sentence for people and a {@code RESULT k=v} line for scripts. */
record LoadResult(
    LoadOptions options,
    double receivedPerSecond,
    double sentPerSecond,
    Histogram latencyMicros,
    LoadGenerator.CpuClock.Reading cpu,
    long brokerRssBytes,
    long brokerRssBeforeBytes)
{
    String describe()
    {
        if (options.scenario().equals("idle"))
        {
            return String.format(Locale.ROOT, "%s: %d idle connections, broker RSS %.1f MiB (%.1f MiB before), broker CPU %.2f cores",
                options.scenario(), options.clients(), brokerRssBytes / 1048576.0, brokerRssBeforeBytes / 1048576.0, cpu.brokerCores());
        }
        return String.format(Locale.ROOT,
            "%s qos%d %s, %d clients, %d-byte payloads: received %.0f msg/s (sent %.0f msg/s); latency p50 %d us, p99 %d us, p99.9 %d us, max %d us; CPU generator %.2f cores, broker %.2f cores",
            options.scenario(), options.qos(), options.dialect().name().toLowerCase(Locale.ROOT), options.clients(), options.payload(),
            receivedPerSecond, sentPerSecond, latencyMicros.getValueAtPercentile(50), latencyMicros.getValueAtPercentile(99),
            latencyMicros.getValueAtPercentile(99.9), latencyMicros.getMaxValue(), cpu.generatorCores(), cpu.brokerCores());
    }

    String line()
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("label", options.label().isEmpty() ? "-" : options.label());
        fields.put("scenario", options.scenario());
        fields.put("qos", options.qos());
        fields.put("clients", options.clients());
        fields.put("received_per_s", receivedPerSecond);
        fields.put("sent_per_s", sentPerSecond);
        fields.put("p50_us", latencyMicros.getValueAtPercentile(50));
        fields.put("p99_us", latencyMicros.getValueAtPercentile(99));
        fields.put("generator_cores", cpu.generatorCores());
        fields.put("broker_cores", cpu.brokerCores());
        fields.put("broker_rss_mib", brokerRssBytes / 1048576.0);
        return LoadGenerator.format(fields);
    }
}
