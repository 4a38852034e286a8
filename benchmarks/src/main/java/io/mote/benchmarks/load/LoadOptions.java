package io.mote.benchmarks.load;

import io.mote.engine.topic.Dialect;

/**
 * Options of the load generator; every option has a default, so a bare run measures QoS 0 fan-in
 * against a broker on 127.0.0.1:1883.
 */
record LoadOptions(
    String host,
    int port,
    String scenario,
    int clients,
    int payload,
    int qos,
    Dialect dialect,
    int seconds,
    int warmupSeconds,
    int threads,
    long brokerPid,
    String label,
    boolean help)
{
    static String usage()
    {
        return String.join("\n",
            "usage: load.sh [--host 127.0.0.1] [--port 1883] [--scenario fan-in|fan-out|idle] [--clients 4]",
            "               [--payload 64] [--qos 0] [--dialect mqtt|mote] [--seconds 10] [--warmup 3]",
            "               [--threads 1] [--broker-pid PID] [--label NAME]",
            "  fan-in : --clients publishers at full speed to bench/pN/tK, one subscriber to bench/#",
            "  fan-out: one publisher to bench/p0/t0, --clients subscribers to it",
            "  idle   : --clients connections that only connect; reports the broker's RSS (needs --broker-pid)");
    }

    static LoadOptions parse(final String[] args)
    {
        String host = "127.0.0.1";
        int port = 1883;
        String scenario = "fan-in";
        int clients = 4;
        int payload = 64;
        int qos = 0;
        Dialect dialect = Dialect.MQTT;
        int seconds = 10;
        int warmup = 3;
        int threads = 1;
        long pid = -1;
        String label = "";
        boolean help = false;
        for (int i = 0; i < args.length; i++)
        {
            final String name = args[i];
            if (name.equals("--help") || name.equals("-h"))
            {
                help = true;
                continue;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(name + " needs a value");
            }
            final String value = args[++i];
            switch (name)
            {
                case "--host" -> host = value;
                case "--port" -> port = number(name, value, 1, 65_535);
                case "--scenario" -> scenario = value;
                case "--clients" -> clients = number(name, value, 1, 1_000_000);
                case "--payload" -> payload = number(name, value, 8, 16 * 1024 * 1024);
                case "--qos" -> qos = number(name, value, 0, 1);
                case "--dialect" -> dialect = switch (value)
                {
                    case "mqtt" -> Dialect.MQTT;
                    case "mote" -> Dialect.MOTE;
                    default -> throw new IllegalArgumentException("--dialect is mqtt or mote, not " + value);
                };
                case "--seconds" -> seconds = number(name, value, 1, 86_400);
                case "--warmup" -> warmup = number(name, value, 0, 3_600);
                case "--threads" -> threads = number(name, value, 1, 64);
                case "--broker-pid" -> pid = number(name, value, 1, Integer.MAX_VALUE);
                case "--label" -> label = value;
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (!scenario.equals("fan-in") && !scenario.equals("fan-out") && !scenario.equals("idle"))
        {
            throw new IllegalArgumentException("--scenario is fan-in, fan-out or idle, not " + scenario);
        }
        return new LoadOptions(host, port, scenario, clients, payload, qos, dialect, seconds, warmup, threads, pid, label, help);
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
}
