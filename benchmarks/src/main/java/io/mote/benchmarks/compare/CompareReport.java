package io.mote.benchmarks.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the RESULT lines that compare.sh collected (each tagged {@code broker=} and {@code group=})
 * into the side-by-side table, with Mote's ratio to every peer and the targets checked against
 * the better of the two Mosquitto runs, and the PNG chart ({@link CompareChart}).
 *
 * <p>Usage: {@code CompareReport RESULTS_FILE OUT_MD OUT_PNG COMMAND FACTS_FILE}; prints the table too.
 */
public final class CompareReport
{
    /** Targets of the issue: Mote's ratio to Mosquitto, at least (higher is better) or at most (lower). */
    private static final Map<String, Double> TARGETS = Map.of("fan-in", 1.5, "fan-out", 1.5, "qos1", 1.5, "tree", 10.0,
        "latency", 1.0, "idle", 2.0);
    private static final Map<String, String> NOTES = Map.of(
        "tree", "Mote: 100-row tree publishes (mote dialect); peers: the same rows as 100 plain publishes",
        "snapshot", "Mote: sync subscribe (mote dialect), one snapshot message; peers: plain subscribe, one retained message per row",
        "latency", "fixed rate; p99 from the intended send time (coordinated omission corrected)",
        "soak", "fixed rate for the whole run; RSS/heap samples in the log",
        "idle", "broker RSS with the connections open");

    private CompareReport()
    {
    }

    record Result(String broker, String group, Map<String, String> fields)
    {
        double value(final String key)
        {
            final String v = fields.getOrDefault(key, "-");
            return v.equals("-") || v.equals("NaN") ? Double.NaN : Double.parseDouble(v);
        }

        boolean higherIsBetter()
        {
            return "higher".equals(fields.get("better"));
        }
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 5)
        {
            System.err.println("usage: CompareReport RESULTS_FILE OUT_MD OUT_PNG COMMAND FACTS_FILE");
            System.exit(2);
        }
        final List<Result> results = read(Path.of(args[0]));
        final Set<String> brokers = new LinkedHashSet<>();
        final Set<String> groups = new LinkedHashSet<>();
        results.forEach(r -> brokers.add(r.broker()));
        results.forEach(r -> groups.add(r.group()));
        final String table = table(results, new ArrayList<>(brokers), new ArrayList<>(groups));
        System.out.println(table);
        final String md = "# Mote side by side with Mosquitto and Moquette\n\n"
            + "Command: `" + args[3] + "`\n\n"
            + "Machine:\n\n```\n" + Files.readString(Path.of(args[4])).strip() + "\n```\n\n"
            + table + "\n"
            + "Ratios are Mote / peer; for rows marked (lower is better) a ratio below 1 favours Mote. "
            + "Targets are checked against the better of the two Mosquitto runs. `mosquitto` runs with its defaults "
            + "(Nagle on), `mosquitto-nodelay` with `set_tcp_nodelay true`. Each RESULT line, with the generator's "
            + "and the broker's CPU, is in the raw results file next to this one.\n\n![chart](" + Path.of(args[2]).getFileName() + ")\n";
        Files.writeString(Path.of(args[1]), md, StandardCharsets.UTF_8);
        CompareChart.write(results, new ArrayList<>(brokers), new ArrayList<>(groups), Path.of(args[2]));
    }

    static List<Result> read(final Path file) throws IOException
    {
        final List<Result> results = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            if (!line.startsWith("RESULT "))
            {
                continue;
            }
            final Map<String, String> fields = new LinkedHashMap<>();
            for (final String pair : line.substring(7).trim().split(" "))
            {
                final int eq = pair.indexOf('=');
                if (eq > 0)
                {
                    fields.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            results.add(new Result(fields.getOrDefault("broker", "?"), fields.getOrDefault("group", "?"), fields));
        }
        return results;
    }

    static Result find(final List<Result> results, final String broker, final String group)
    {
        return results.stream().filter(r -> r.broker().equals(broker) && r.group().equals(group)).reduce((a, b) -> b).orElse(null);
    }

    private static String table(final List<Result> results, final List<String> brokers, final List<String> groups)
    {
        final List<String> peers = brokers.stream().filter(b -> !b.equals("mote")).toList();
        final StringBuilder out = new StringBuilder("| scenario | unit |");
        brokers.forEach(b -> out.append(' ').append(b).append(" |"));
        peers.forEach(p -> out.append(" mote/").append(p).append(" |"));
        out.append(" target vs mosquitto | notes |\n|---|---|");
        out.append("---|".repeat(brokers.size() + peers.size() + 2)).append('\n');
        for (final String group : groups)
        {
            final Result any = results.stream().filter(r -> r.group().equals(group)).findFirst().orElseThrow();
            row(out, results, brokers, peers, group, "value", any.fields().get("metric").replace('_', ' '), any.higherIsBetter());
            if (group.equals("soak"))
            {
                row(out, results, brokers, peers, group, "rss_max_mib", "max RSS MiB", false);
            }
        }
        return out.toString();
    }

    private static void row(final StringBuilder out, final List<Result> results, final List<String> brokers, final List<String> peers,
        final String group, final String key, final String unit, final boolean higher)
    {
        out.append("| ").append(group).append(" | ").append(unit).append(higher ? "" : " (lower is better)").append(" |");
        for (final String broker : brokers)
        {
            final Result r = find(results, broker, group);
            out.append(' ').append(r == null ? "failed" : format(r.value(key))).append(" |");
        }
        final Result mote = find(results, "mote", group);
        for (final String peer : peers)
        {
            final Result p = find(results, peer, group);
            out.append(' ').append(mote == null || p == null ? "-" : String.format(Locale.ROOT, "%.2fx", mote.value(key) / p.value(key))).append(" |");
        }
        out.append(' ').append(key.equals("value") ? target(results, group, higher) : "").append(" | ")
            .append(key.equals("value") ? NOTES.getOrDefault(group, "") : "").append(" |\n");
    }

    private static String target(final List<Result> results, final String group, final boolean higher)
    {
        final Double factor = TARGETS.get(group);
        final Result mote = find(results, "mote", group);
        if (factor == null || mote == null)
        {
            return "";
        }
        double best = Double.NaN;
        for (final String variant : List.of("mosquitto", "mosquitto-nodelay"))
        {
            final Result r = find(results, variant, group);
            if (r != null && !Double.isNaN(r.value("value")))
            {
                best = Double.isNaN(best) ? r.value("value") : higher ? Math.max(best, r.value("value")) : Math.min(best, r.value("value"));
            }
        }
        if (Double.isNaN(best))
        {
            return "no mosquitto result";
        }
        final double ratio = mote.value("value") / best;
        final boolean met = higher ? ratio >= factor : ratio <= factor;
        return String.format(Locale.ROOT, "%s %.1fx: %s (%.2fx)", higher ? ">=" : "<=", factor, met ? "met" : "MISSED", ratio);
    }

    static String format(final double value)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
