package io.mote.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the generator knows about the processes involved: its own CPU time, and the broker's CPU time,
 * RSS (from /proc) and, when the broker is a JVM, its used heap (from a {@code jstat -gc PID 1000}
 * child process, which reads the broker's perf counters without stopping it).
 */
final class ProcessStats
{
    private ProcessStats()
    {
    }

    /** CPU used by this JVM and the broker between {@link #start} and {@link Clock#stop}, in cores. */
    static final class Clock
    {
        private final long startNanos = System.nanoTime();
        private final long selfCpuStart = selfCpuNanos();
        private final long brokerPid;
        private final long brokerTicksStart;

        private Clock(final long brokerPid)
        {
            this.brokerPid = brokerPid;
            this.brokerTicksStart = brokerTicks(brokerPid);
        }

        Reading stop()
        {
            final double seconds = (System.nanoTime() - startNanos) / 1e9;
            final double self = (selfCpuNanos() - selfCpuStart) / 1e9 / seconds;
            final double broker = brokerPid > 0 ? (brokerTicks(brokerPid) - brokerTicksStart) / 100.0 / seconds : Double.NaN;
            return new Reading(seconds, self, broker);
        }
    }

    record Reading(double seconds, double generatorCores, double brokerCores)
    {
    }

    static Clock start(final long brokerPid)
    {
        return new Clock(brokerPid);
    }

    private static long selfCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux). */
    private static long brokerTicks(final long pid)
    {
        if (pid <= 0)
        {
            return 0;
        }
        try
        {
            final String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read CPU time of broker pid " + pid, ex);
        }
    }

    /** Resident set size of a process in MiB, or NaN without a pid. */
    static double rssMib(final long pid)
    {
        if (pid <= 0)
        {
            return Double.NaN;
        }
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            return Double.NaN;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read RSS of broker pid " + pid, ex);
        }
    }

    /**
     * The broker's used heap, sampled by jstat once a second. A broker that is not a JVM (Mosquitto)
     * makes jstat exit at once, and the heap reads as NaN.
     */
    static final class HeapSampler implements AutoCloseable
    {
        private final Process jstat;
        private volatile double heapMib = Double.NaN;

        HeapSampler(final long pid) throws IOException
        {
            jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "1000").redirectErrorStream(true).start();
            final Thread reader = new Thread(this::read, "jstat-reader");
            reader.setDaemon(true);
            reader.start();
        }

        double heapMib()
        {
            return heapMib;
        }

        private void read()
        {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8)))
            {
                List<String> header = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine())
                {
                    final List<String> cells = List.of(line.trim().split("\\s+"));
                    if (cells.contains("EU"))
                    {
                        header = cells;
                    }
                    else if (header != null && cells.size() == header.size())
                    {
                        // Used heap = both survivors + eden + old generation, in KiB.
                        double used = 0;
                        for (final String column : List.of("S0U", "S1U", "EU", "OU"))
                        {
                            used += Double.parseDouble(cells.get(header.indexOf(column)));
                        }
                        heapMib = used / 1024.0;
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                heapMib = Double.NaN;
            }
        }

        @Override
        public void close()
        {
            jstat.destroy();
        }
    }
}
