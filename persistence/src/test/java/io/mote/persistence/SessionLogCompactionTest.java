package io.mote.persistence;

import io.mote.engine.session.DurableSession;
import io.mote.engine.topic.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session log compacted while the broker runs: writers keep appending, nothing they wrote is
 * lost, the directory holds the live state rather than the history, and a crash at any step of a
 * compaction (a copy of the directory taken at that step, which is what kill -9 leaves: the page
 * cache) recovers exactly the live state.
 */
class SessionLogCompactionTest
{
    private static final byte[] PAYLOAD = new byte[1024];

    @TempDir
    Path dir;
    @TempDir
    Path crashed;

    private final JournalConfig config = JournalConfig.defaults().withBlockSize(1 << 16);

    @Test
    void shouldRecoverTheLiveStateWhenCompactedWhileRunningAndAppendedToAfter()
    {
        final long n;
        try (SessionStore store = SessionStore.open(dir, config))
        {
            n = store.log().opened("c", Dialect.MQTT);
            SessionLogWrites.subscribe(store, n, "s/#", 1);
            for (int seq = 1; seq <= 10; seq++)
            {
                queue(store, n, seq, "m" + seq);
            }
            store.log().packetIdAssigned(n, 1, 7);
            store.log().completed(n, 7);
            store.log().packetIdAssigned(n, 2, 8);
            store.compactNow();
            // After the roll: records about messages the compaction folded use their old seqs.
            store.log().packetIdAssigned(n, 3, 9);
            store.log().completed(n, 8);
            store.log().inboundHeld(n, 42);
            queue(store, n, 11, "m11");
            store.compactNow();
            store.log().completed(n, 9);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered()).hasSize(1);
            final DurableSession session = store.recovered().get(0);
            assertThat(session.number()).isEqualTo(n);
            assertThat(session.subscriptions()).extracting(s -> text(s.filter())).containsExactly("s/#");
            assertThat(session.messages()).extracting(m -> text(m.payload()))
                .containsExactly("m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11");
            assertThat(session.inboundQos2()).containsExactly(42);
        }
    }

    @Test
    void shouldKeepTheDirectoryBoundedWhenMessagesAreQueuedAndAckedForLong() throws IOException
    {
        final List<Long> sizes = new ArrayList<>();
        final int messages = 20_000;
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long n = store.log().opened("c", Dialect.MQTT);
            SessionLogWrites.subscribe(store, n, "s/#", 1);
            for (int seq = 1; seq <= messages; seq++)
            {
                final byte[] topic = ("t/" + seq).getBytes(StandardCharsets.UTF_8);
                store.log().queued(n, seq, 1, false, topic, 0, topic.length, PAYLOAD, 0, PAYLOAD.length);
                store.log().packetIdAssigned(n, seq, 1 + seq % 100);
                if (seq > 10)
                {
                    // Ten messages stay in flight, the rest are acknowledged as they go.
                    store.log().completed(n, 1 + (seq - 10) % 100);
                }
                if (seq % 1_000 == 0)
                {
                    store.compactNow();
                    sizes.add(directorySize(dir));
                }
            }
        }
        // ~20 MiB of payload went through; what stays is the ten in flight plus a segment's worth of records.
        // (A few bytes of slack: CURRENT names larger generation numbers as it goes.)
        assertThat(sizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(sizes.get(0) + 64));
        assertThat(sizes.get(0)).isLessThan(1L << 20);
        try (Stream<Path> entries = Files.list(dir))
        {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(name -> !name.equals("CURRENT")))
                .as("one generation, one segment").hasSize(2);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered().get(0).messages()).hasSize(10);
            // opened + subscribed + 10 x (queued + packet id)
            assertThat(store.replayedRecords()).isEqualTo(22);
        }
    }

    @Test
    void shouldLoseNoRecordWhenThreadsAppendWhileTheLogIsCompacted() throws Exception
    {
        final int threads = 3;
        final int messages = 3_000;
        final AtomicInteger compactions = new AtomicInteger();
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final long n = store.log().opened("writer-" + t, Dialect.MQTT);
                final Thread writer = new Thread(() ->
                {
                    SessionLogWrites.awaitQuietly(start);
                    for (int seq = 1; seq <= messages; seq++)
                    {
                        queue(store, n, seq, "m" + seq);
                        store.log().packetIdAssigned(n, seq, 1 + seq % 65_535);
                        if (seq % 2 == 0)
                        {
                            store.log().completed(n, 1 + seq % 65_535);
                        }
                        store.log().sync();
                    }
                });
                writers.add(writer);
                writer.start();
            }
            final AtomicBoolean done = new AtomicBoolean();
            final Thread compactor = new Thread(() ->
            {
                SessionLogWrites.awaitQuietly(start);
                // At least a few compactions, however the threads are scheduled.
                while (!done.get() || compactions.get() < 3)
                {
                    store.compactNow();
                    compactions.incrementAndGet();
                }
            });
            compactor.start();
            start.countDown();
            for (final Thread writer : writers)
            {
                writer.join();
            }
            done.set(true);
            compactor.join();
        }
        assertThat(compactions.get()).isGreaterThanOrEqualTo(3);
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.replayStoppedAtCorruption()).isFalse();
            assertThat(store.recovered()).hasSize(threads).allSatisfy(session ->
                assertThat(session.messages()).extracting(m -> text(m.payload()))
                    .containsExactlyElementsOf(Stream.iterate(1, i -> i + 2).limit(messages / 2).map(i -> "m" + i).toList()));
        }
    }

    @ParameterizedTest
    @EnumSource(value = SessionStore.Step.class, names = {"ROLLED", "GENERATION_WRITTEN", "POINTER_MOVED"})
    void shouldRecoverExactlyTheLiveStateWhenACrashInterruptsACompaction(final SessionStore.Step crashAfter) throws IOException
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long n = store.log().opened("c", Dialect.MQTT);
            SessionLogWrites.subscribe(store, n, "s/#", 1);
            for (int seq = 1; seq <= 5; seq++)
            {
                queue(store, n, seq, "m" + seq);
            }
            store.log().packetIdAssigned(n, 1, 1);
            store.log().completed(n, 1);
            store.compact(crashAfter);
            // Written after the roll, before the crash: in the fresh segment either pointer includes.
            store.log().packetIdAssigned(n, 2, 2);
            store.log().completed(n, 2);
            queue(store, n, 6, "m6");
            store.log().ended(store.log().opened("gone", Dialect.MQTT));
            copyTree(dir, crashed);
        }
        try (SessionStore store = SessionStore.open(crashed, config))
        {
            assertThat(store.replayStoppedAtCorruption()).isFalse();
            assertThat(store.recovered()).extracting(DurableSession::clientId).containsExactly("c");
            assertThat(store.recovered().get(0).messages()).extracting(m -> text(m.payload())).containsExactly("m3", "m4", "m5", "m6");
            assertThat(store.log().opened("next", Dialect.MQTT)).as("numbers stay above the ended session's").isGreaterThan(2);
        }
        try (Stream<Path> entries = Files.list(crashed))
        {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(name -> !name.equals("CURRENT")))
                .as("what the interrupted compaction left is gone").hasSize(2);
        }
    }

    @Test
    void shouldCompactInTheBackgroundWhenMoreThanTheThresholdWasAppended() throws Exception
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final String before = Files.readString(dir.resolve(SessionStore.CURRENT));
            store.startCompaction(4 << 10);
            final long n = store.log().opened("c", Dialect.MQTT);
            for (int seq = 1; seq <= 100; seq++)
            {
                queue(store, n, seq, "m" + seq);
            }
            // No timing assertion: the compactor polls; this only bounds how long a broken one is waited for.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.readString(dir.resolve(SessionStore.CURRENT)).equals(before) && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertThat(Files.readString(dir.resolve(SessionStore.CURRENT))).isNotEqualTo(before);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered().get(0).messages()).hasSize(100);
        }
    }

    static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> walk = Files.walk(from))
        {
            for (final Path source : (Iterable<Path>)walk::iterator)
            {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static long directorySize(final Path root) throws IOException
    {
        try (Stream<Path> walk = Files.walk(root))
        {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void queue(final SessionStore store, final long number, final long seq, final String payload)
    {
        final byte[] topic = ("t/" + seq).getBytes(StandardCharsets.UTF_8);
        final byte[] p = Arrays.copyOf(payload.getBytes(StandardCharsets.UTF_8), Math.max(payload.length(), 16));
        store.log().queued(number, seq, 1, false, topic, 0, topic.length, p, 0, p.length);
    }

    private static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8).replace("\0", "");
    }
}
