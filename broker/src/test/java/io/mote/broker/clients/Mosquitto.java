package io.mote.broker.clients;

import java.io.BufferedReader;
import java.io.File;
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
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Runs the Debian {@code mosquitto_pub} and {@code mosquitto_sub} (package mosquitto-clients) as
 * processes, always with a timeout, and collects what they print (stdout and stderr merged).
 *
 * <p>Missing clients fail the test rather than skip it: CI installs them ({@code .ci/run}), so a
 * missing binary is a broken machine, and a skipped test would hide it.
 */
final class Mosquitto
{
    /** Passed to mosquitto_sub as {@code -W}: it gives up by itself after this long without its messages. */
    static final int CLIENT_TIMEOUT_SECONDS = 60;
    /** Our own limit on any client process, above {@link #CLIENT_TIMEOUT_SECONDS}. */
    static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(CLIENT_TIMEOUT_SECONDS + 30);

    private Mosquitto()
    {
    }

    /** Fails (does not skip) with what to install when a client is missing. */
    static void requireInstalled()
    {
        for (final String program : List.of("mosquitto_pub", "mosquitto_sub", "stdbuf"))
        {
            if (onPath(program).isEmpty())
            {
                fail(program + " is not on the PATH (" + System.getenv("PATH") + "). These tests drive the real Debian MQTT clients"
                    + " against ./mote-broker; install them with `apt-get install mosquitto-clients` (CI's .ci/run does).");
            }
        }
    }

    private static Optional<Path> onPath(final String program)
    {
        final String path = System.getenv("PATH");
        if (path == null)
        {
            return Optional.empty();
        }
        for (final String dir : path.split(File.pathSeparator))
        {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate))
            {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The arguments that point a client at the broker: 127.0.0.1, the port, MQTT 3.1.1. */
    static List<String> at(final int port)
    {
        return List.of("-h", "127.0.0.1", "-p", String.valueOf(port), "-V", "mqttv311");
    }

    /** Runs {@code program args...} to its exit; fails with its output unless it exits within the process timeout. */
    static Finished run(final String program, final List<String> args) throws IOException, InterruptedException
    {
        final Running running = start(program, args);
        return running.awaitExit();
    }

    /**
     * Starts {@code program args...} with its stdout line-buffered ({@code stdbuf -oL}): without it a
     * client writing to a pipe holds its lines in a buffer until it exits, and a test could not see
     * {@code mosquitto_sub -d} report its SUBACK while it is still running.
     */
    static Running start(final String program, final List<String> args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", "-eL", program));
        command.addAll(args);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        return new Running(String.join(" ", command), process);
    }

    /** A finished client: exit status and every line it printed. */
    record Finished(String command, int exitCode, List<String> lines)
    {
        String text()
        {
            return String.join("\n", lines);
        }

        /** Asserts exit status 0 and returns this, for chaining. */
        Finished succeeded()
        {
            assertThat(exitCode).as("exit status of `%s`; output:%n%s", command, text()).isZero();
            return this;
        }
    }

    /** A client still running; its output is collected as it comes. */
    static final class Running implements AutoCloseable
    {
        private final String command;
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        private Running(final String command, final Process process)
        {
            this.command = command;
            this.process = process;
            reader = new Thread(this::read, "mosquitto-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void read()
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line = in.readLine(); line != null; line = in.readLine())
                {
                    lines.add(line);
                }
            }
            catch (final IOException ex)
            {
                lines.add("(output reader failed: " + ex + ")");
            }
        }

        /** Waits until a printed line matches, or fails with the output so far (also when the client exits first). */
        void awaitLine(final String what, final Predicate<String> line)
        {
            await(what + " from `" + command + "`").atMost(PROCESS_TIMEOUT).until(() ->
            {
                if (lines.stream().anyMatch(line))
                {
                    return true;
                }
                if (!process.isAlive() && !reader.isAlive())
                {
                    throw new AssertionError("`" + command + "` exited with " + process.exitValue() + " before " + what + "; output:\n" + String.join("\n", lines));
                }
                return false;
            });
        }

        /** Waits for the exit (killing the client if it overruns) and for the last of its output. */
        Finished awaitExit() throws InterruptedException
        {
            if (!process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                reader.join(TimeUnit.SECONDS.toMillis(10));
                throw new AssertionError("`" + command + "` did not finish within " + PROCESS_TIMEOUT + "; output:\n" + String.join("\n", lines));
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return new Finished(command, process.exitValue(), List.copyOf(lines));
        }

        @Override
        public void close()
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
            }
        }
    }
}
