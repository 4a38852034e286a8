package io.mote.benchmarks.load;

import io.mote.engine.topic.Dialect;

import java.util.Locale;

/**
 * Options of the load generator. A {@code --preset} sets a named scenario's defaults first; every
 * other option given on the command line then overrides them, whatever the order.
 *
 * @param clients publishers (fan-in), subscribers (fan-out) or connections (storm, idle)
 * @param batch   rows per tree publish, or plain topics each publisher cycles through
 * @param tree    publish tree batches (mote dialect): one publish spreads into {@code batch} rows
 * @param rate    total messages per second across publishers, 0 for as fast as the broker takes them
 * @param rows    retained rows loaded before the snapshot scenario measures a subscribe
 * @param sample  print the broker's RSS and heap once a second (the soak)
 */
record LoadOptions(
    String host, int port, String preset, String scenario, int clients, int payload, int qos, Dialect dialect,
    int batch, boolean tree, int rate, int rows, int seconds, int warmupSeconds, int threads, long brokerPid,
    String label, boolean sample, boolean help, boolean retain, int window, int subscribers)
{
    static String usage()
    {
        return String.join("\n",
            "usage: load.sh [--preset NAME] [--host 127.0.0.1] [--port 1883] [--scenario fan-in|fan-out|snapshot|storm|idle]",
            "               [--clients N] [--payload BYTES] [--qos 0|1|2] [--dialect mqtt|mote] [--batch N] [--tree]",
            "               [--rate MSG_PER_S] [--rows N] [--seconds 10] [--warmup 3] [--threads 1] [--broker-pid PID]",
            "               [--label NAME] [--sample] [--retain] [--window N] [--subscribers N]",
            "--retain publishes retained rows; --window is how many QoS 1/2 messages a publisher keeps unacknowledged",
            "(default 1000); --subscribers is the fan-in's subscriber count (default 1; 0 measures acknowledgements alone).",
            "presets (options given after or before --preset override its defaults):",
            "  fan-in        4 publishers at full speed to bench/pN/tK (10 topics each), 1 subscriber to bench/#",
            "  fan-out       1 publisher to bench/p0/t0, 16 subscribers to it",
            "  latency       fan-in at a fixed 20000 msg/s; latency from the intended send time (coordinated omission corrected)",
            "  qos1, qos2    fan-in at QoS 1 / QoS 2, publishers keep up to 1000 messages unacknowledged",
            "  retained-qos1 4 publishers of retained QoS 1 rows (1000 topics each), window 100, no subscriber; reports acked msg/s",
            "  tree          mote dialect: 4 publishers of 100-row tree publishes, subscriber bench/+/+ (one message per batch)",
            "  tree-plain    the same rows as 100 plain publishes each (mqtt dialect), subscriber bench/#; reported as rows/s",
            "  snapshot      load 1000000 retained rows in 1000-row tree publishes, then time a sync subscribe /snap/+/+",
            "  snapshot-plain load the same rows as plain retained publishes, then time a subscribe snap/# (mqtt)",
            "  storm         10000 clients connect and subscribe, 256 handshakes in flight; reports connects/s and broker RSS",
            "  idle          10000 connections that only connect; reports the broker's RSS",
            "  soak          latency for 600 s, printing the broker's RSS and heap (jstat) each second",
            "--broker-pid lets the generator report the broker's CPU and RSS next to its own CPU.");
    }

    static LoadOptions parse(final String[] args)
    {
        final Builder b = new Builder();
        for (int i = 0; i < args.length - 1; i++)
        {
            if (args[i].equals("--preset"))
            {
                b.preset(args[i + 1]);
            }
        }
        for (int i = 0; i < args.length; i++)
        {
            final String name = args[i];
            if (name.equals("--help") || name.equals("-h") || name.equals("--tree") || name.equals("--sample") || name.equals("--retain"))
            {
                b.retain |= name.equals("--retain");
                b.help |= name.startsWith("-h") || name.equals("--help");
                b.tree |= name.equals("--tree");
                b.sample |= name.equals("--sample");
                continue;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(name + " needs a value");
            }
            final String value = args[++i];
            switch (name)
            {
                case "--preset" -> { }
                case "--host" -> b.host = value;
                case "--port" -> b.port = number(name, value, 1, 65_535);
                case "--scenario" -> b.scenario = value;
                case "--clients" -> b.clients = number(name, value, 1, 1_000_000);
                case "--payload" -> b.payload = number(name, value, 16, 16 * 1024 * 1024);
                case "--qos" -> b.qos = number(name, value, 0, 2);
                case "--dialect" -> b.dialect = switch (value)
                {
                    case "mqtt" -> Dialect.MQTT;
                    case "mote" -> Dialect.MOTE;
                    default -> throw new IllegalArgumentException("--dialect is mqtt or mote, not " + value);
                };
                case "--batch" -> b.batch = number(name, value, 1, 100_000);
                case "--rate" -> b.rate = number(name, value, 0, 100_000_000);
                case "--rows" -> b.rows = number(name, value, 1, 100_000_000);
                case "--seconds" -> b.seconds = number(name, value, 1, 86_400);
                case "--warmup" -> b.warmup = number(name, value, 0, 3_600);
                case "--threads" -> b.threads = number(name, value, 1, 64);
                case "--broker-pid" -> b.pid = number(name, value, 1, Integer.MAX_VALUE);
                case "--label" -> b.label = value;
                case "--window" -> b.window = number(name, value, 1, 65_535);
                case "--subscribers" -> b.subscribers = number(name, value, 0, 1_000_000);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (!java.util.Set.of("fan-in", "fan-out", "snapshot", "storm", "idle").contains(b.scenario))
        {
            throw new IllegalArgumentException("--scenario is fan-in, fan-out, snapshot, storm or idle, not " + b.scenario);
        }
        if (b.tree && b.dialect != Dialect.MOTE)
        {
            throw new IllegalArgumentException("--tree needs --dialect mote: a trailing '/' is a tree publish only there");
        }
        return new LoadOptions(b.host, b.port, b.preset, b.scenario, b.clients, b.payload, b.qos, b.dialect, b.batch, b.tree,
            b.rate, b.rows, b.seconds, b.warmup, b.threads, b.pid, b.label, b.sample, b.help, b.retain, b.window, b.subscribers);
    }

    String dialectName()
    {
        return dialect.name().toLowerCase(Locale.ROOT);
    }

    /** Rows are what the tree presets are about; everything else counts messages. */
    boolean countsRows()
    {
        return tree || preset.startsWith("tree") || scenario.equals("snapshot");
    }

    private static int number(final String name, final String value, final int min, final int max)
    {
        try
        {
            final int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max)
            {
                throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", was " + value);
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a number, was " + value);
        }
    }

    /** Mutable while parsing; the defaults are a bare run: QoS 0 fan-in against 127.0.0.1:1883. */
    private static final class Builder
    {
        String host = "127.0.0.1";
        int port = 1883;
        String preset = "";
        String scenario = "fan-in";
        int clients = 4;
        int payload = 64;
        int qos;
        Dialect dialect = Dialect.MQTT;
        int batch = 10;
        boolean tree;
        int rate;
        int rows = 1_000_000;
        int seconds = 10;
        int warmup = 3;
        int threads = 1;
        long pid = -1;
        String label = "";
        boolean sample;
        boolean help;
        boolean retain;
        int window = 1000;
        int subscribers = 1;

        void preset(final String name)
        {
            preset = name;
            switch (name)
            {
                case "fan-in" -> { }
                case "fan-out" -> { scenario = "fan-out"; clients = 16; }
                case "latency" -> rate = 20_000;
                case "qos1" -> qos = 1;
                case "qos2" -> qos = 2;
                case "retained-qos1" -> { qos = 1; retain = true; window = 100; subscribers = 0; batch = 1000; }
                case "tree" -> { dialect = Dialect.MOTE; tree = true; batch = 100; payload = 16; }
                case "tree-plain" -> { batch = 100; payload = 16; }
                case "snapshot" -> { scenario = "snapshot"; dialect = Dialect.MOTE; tree = true; batch = 1000; payload = 16; }
                case "snapshot-plain" -> { scenario = "snapshot"; batch = 1000; payload = 16; }
                case "storm" -> { scenario = "storm"; clients = 10_000; }
                case "idle" -> { scenario = "idle"; clients = 10_000; }
                case "soak" -> { rate = 20_000; seconds = 600; sample = true; }
                default -> throw new IllegalArgumentException("unknown preset " + name + "; see --help");
            }
        }
    }
}
