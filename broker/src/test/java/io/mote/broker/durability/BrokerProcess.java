package io.mote.broker.durability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One run of the real {@code ./mote-broker} launcher, from a working directory of the test's, on
 * free ports (TCP port 0, WebSocket off), stopped the way a service manager stops it (SIGTERM) or
 * the way a crash does (SIGKILL). The launcher {@code exec}s java, so the process started here is
 * the broker's JVM itself: signalling it signals the broker, not a shell in front of it.
 */
public final class BrokerProcess implements AutoCloseable
{
    /** {@code mqtts://} when the broker runs with {@code --tls-cert} and {@code --tls-key}. */
    private static final Pattern LISTENING = Pattern.compile("listening on mqtt(s?)://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern RECOVERED = Pattern.compile("recovered (\\d+) retained rows \\((\\d+) from snapshot, (\\d+) journal rows\\)");
    /** Generous: the first start on a shared machine may be slow (JIT, Chronicle's own start-up). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final List<String> output;
    private final boolean tls;
    private final int port;

    private BrokerProcess(final Process process, final List<String> output, final boolean tls, final int port)
    {
        this.process = process;
        this.output = output;
        this.tls = tls;
        this.port = port;
    }

    /** What {@link #recoveredRows()} reads from the broker's start line. */
    record Recovered(long rows, long fromSnapshot, long journalRows)
    {
    }

    /** A finished run: exit status and everything it printed. */
    record Exited(int exitCode, List<String> output)
    {
        String text()
        {
            return String.join("\n", output);
        }
    }

    /**
     * Starts {@code ./mote-broker --port 0 --ws-port -1 --data-dir <dataDir> <extra...>} in {@code workDir}
     * and waits for its listening line.
     */
    public static BrokerProcess start(final Path workDir, final String dataDir, final String... extra) throws IOException
    {
        final List<String> output = new CopyOnWriteArrayList<>();
        final Process process = launch(workDir, dataDir, output, extra);
        final String listening;
        try
        {
            listening = await("the listening line").atMost(START_TIMEOUT)
                .until(() -> listeningLine(process, output), line -> line.isPresent())
                .orElseThrow();
        }
        catch (final RuntimeException | Error ex)
        {
            process.destroyForcibly();
            throw ex;
        }
        final Matcher port = LISTENING.matcher(listening);
        assertThat(port.find()).isTrue();
        return new BrokerProcess(process, output, !port.group(1).isEmpty(), Integer.parseInt(port.group(2)));
    }

    /** Runs the launcher to its exit (for runs expected to refuse to start) and returns what it did. */
    static Exited runToExit(final Path workDir, final String dataDir, final String... extra) throws Exception
    {
        final List<String> output = new CopyOnWriteArrayList<>();
        final Process process = launch(workDir, dataDir, output, extra);
        try
        {
            assertThat(process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .as("the launcher exited; output so far:%n%s", String.join("\n", lines(output))).isTrue();
            // The reader thread may still hold the last lines; it ends at end of stream.
            await("the end of the output").atMost(Duration.ofSeconds(10)).until(() -> readerDone(output));
            return new Exited(process.exitValue(), lines(output));
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    private static final String END_OF_OUTPUT = "\u0000end of output";

    private static boolean readerDone(final List<String> output)
    {
        return !output.isEmpty() && output.get(output.size() - 1).equals(END_OF_OUTPUT);
    }

    private static Process launch(final Path workDir, final String dataDir, final List<String> output, final String... extra) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(launcher().toString(), "--port", "0", "--ws-port", "-1", "--data-dir", dataDir));
        command.addAll(List.of(extra));
        final Process process = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .start();
        collectOutput(process, output);
        return process;
    }

    private static Optional<String> listeningLine(final Process process, final List<String> output)
    {
        final Optional<String> line = output.stream().filter(l -> LISTENING.matcher(l).find()).findFirst();
        if (line.isEmpty() && !process.isAlive())
        {
            throw new AssertionError("the broker exited with " + process.exitValue() + " before listening; output:\n" + String.join("\n", lines(output)));
        }
        return line;
    }

    /** The MQTT URI of the bound port, for Paho ({@code ssl://} when the broker speaks TLS). */
    public String uri()
    {
        return (tls ? "ssl" : "tcp") + "://127.0.0.1:" + port;
    }

    /** The bound MQTT port (TCP, or TLS over TCP), on 127.0.0.1. */
    public int port()
    {
        return port;
    }

    /** Everything printed so far. */
    public String output()
    {
        return String.join("\n", lines(output));
    }

    private static List<String> lines(final List<String> output)
    {
        return output.stream().filter(line -> !line.equals(END_OF_OUTPUT)).toList();
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** The counts of the start line's "recovered ..." message. */
    Recovered recoveredRows()
    {
        return output.stream()
            .map(RECOVERED::matcher)
            .filter(Matcher::find)
            .findFirst()
            .map(m -> new Recovered(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))))
            .orElseThrow(() -> new AssertionError("no recovery line in the output:\n" + output()));
    }

    /**
     * SIGTERM, as a service manager sends it, and waits for the exit; asserts exit status 0. Through the
     * handle because {@link Process#destroy()} also closes our end of the output pipe.
     */
    public void terminate() throws InterruptedException
    {
        assertThat(process.toHandle().destroy()).isTrue();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s; output:%n%s", output()).isTrue();
        assertThat(process.exitValue()).as("exit status after SIGTERM; output:%n%s", output()).isZero();
    }

    /** SIGKILL: the JVM gets no chance to run shutdown hooks, flush or unlock anything. */
    void kill() throws InterruptedException
    {
        assertThat(process.toHandle().destroyForcibly()).isTrue();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    /** Leaves nothing running after a failed test. */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
    }

    private static void collectOutput(final Process process, final List<String> output)
    {
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line = in.readLine(); line != null; line = in.readLine())
                {
                    output.add(line);
                }
            }
            catch (final IOException ex)
            {
                output.add("(output reader failed: " + ex + ")");
            }
            finally
            {
                output.add(END_OF_OUTPUT);
            }
        }, "broker-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The launcher at the top of the checkout, whichever module directory the tests run in. */
    private static Path launcher()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve("mote-broker")))
            {
                return dir.resolve("mote-broker");
            }
        }
        throw new IllegalStateException("no mote-broker launcher above " + Path.of("").toAbsolutePath());
    }
}
