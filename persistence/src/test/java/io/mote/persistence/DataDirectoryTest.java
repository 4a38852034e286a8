package io.mote.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirectoryTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseASecondUserInTheSameProcessWhileTheFirstHoldsIt()
    {
        final Path data = dir.resolve("data");
        try (DataDirectory first = DataDirectory.open(data))
        {
            assertThat(first.journal()).isDirectory();
            assertThat(first.snapshots()).isDirectory();
            assertThatThrownBy(() -> DataDirectory.open(data))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data directory " + data.toAbsolutePath() + " is in use by another broker");
        }
        DataDirectory.open(data).close();
    }

    @Test
    void shouldRefuseASecondBrokerProcessWhileTheFirstHoldsIt() throws Exception
    {
        final Path data = dir.resolve("data");
        final Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), data.toString())
            .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)))
        {
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> DataDirectory.open(data))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(data.toAbsolutePath().toString());
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        finally
        {
            holder.destroy();
        }
        DataDirectory.open(data).close();
    }

    /** The other broker: holds the directory until its stdin closes. */
    public static final class LockHolder
    {
        public static void main(final String[] args) throws Exception
        {
            try (DataDirectory held = DataDirectory.open(Path.of(args[0])))
            {
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
