package io.mote.benchmarks.load;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario's outcome, as a sentence for people and a {@code RESULT k=v} line for scripts
 * ({@code compare.sh} and {@code CompareReport} read {@code metric}, {@code value}, {@code better},
 * {@code p99_us} and the CPU and RSS fields).
 *
 * @param metric   what {@code value} is: msg/s, rows/s, connects/s, p99 latency or RSS
 * @param latency  latency from the intended send time (coordinated omission corrected); empty when not measured
 * @param raw      latency from the actual send time
 * @param extra    scenario-specific fields, appended to the line in order
 */
record LoadResult(LoadOptions options, String metric, double value, boolean higherIsBetter, Histogram latency, Histogram raw,
    ProcessStats.Reading cpu, double brokerRssMib, Map<String, Object> extra)
{
    static Histogram empty()
    {
        return new Histogram(3);
    }

    String describe()
    {
        final StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s (%s qos%d %s, %d clients): %s %s",
            options.preset().isEmpty() ? options.scenario() : options.preset(), options.scenario(), options.qos(), options.dialectName(),
            options.clients(), number(value), metric));
        if (latency.getTotalCount() > 0)
        {
            text.append(String.format(Locale.ROOT, "; latency p50 %d us, p99 %d us, p99.9 %d us, max %d us (uncorrected p99 %d us)",
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9),
                latency.getMaxValue(), raw.getValueAtPercentile(99)));
        }
        extra.forEach((k, v) -> text.append("; ").append(k).append(' ').append(v instanceof Double d ? number(d) : v));
        text.append(String.format(Locale.ROOT, "; CPU generator %.2f cores, broker %.2f cores; broker RSS %.1f MiB",
            cpu.generatorCores(), cpu.brokerCores(), brokerRssMib));
        return text.toString();
    }

    String line()
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("label", options.label().isEmpty() ? "-" : options.label());
        fields.put("preset", options.preset().isEmpty() ? "-" : options.preset());
        fields.put("scenario", options.scenario());
        fields.put("dialect", options.dialectName());
        fields.put("qos", options.qos());
        fields.put("clients", options.clients());
        fields.put("metric", metric.replace(' ', '_'));
        fields.put("value", value);
        fields.put("better", higherIsBetter ? "higher" : "lower");
        final boolean measured = latency.getTotalCount() > 0;
        fields.put("p50_us", measured ? latency.getValueAtPercentile(50) : "-");
        fields.put("p99_us", measured ? latency.getValueAtPercentile(99) : "-");
        fields.put("p999_us", measured ? latency.getValueAtPercentile(99.9) : "-");
        fields.put("max_us", measured ? latency.getMaxValue() : "-");
        fields.put("raw_p99_us", measured ? raw.getValueAtPercentile(99) : "-");
        fields.putAll(extra);
        fields.put("generator_cores", cpu.generatorCores());
        fields.put("broker_cores", cpu.brokerCores());
        fields.put("broker_rss_mib", brokerRssMib);
        final StringBuilder line = new StringBuilder("RESULT");
        fields.forEach((k, v) -> line.append(' ').append(k).append('=').append(v instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : v));
        return line.toString();
    }

    private static String number(final double value)
    {
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
