package io.mote.persistence;

import io.mote.engine.session.DurableSession;
import io.mote.engine.topic.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SessionStoreTest
{
    @TempDir
    Path dir;

    private final JournalConfig config = JournalConfig.defaults().withBlockSize(1 << 20);

    @Test
    void shouldRecoverNothingWhenTheDirectoryIsNew()
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered()).isEmpty();
        }
    }

    @Test
    void shouldRecoverSubscriptionsInOrderWithTheirLatestQosWhenReopened()
    {
        final long number;
        try (SessionStore store = SessionStore.open(dir, config))
        {
            number = store.log().opened("c1", Dialect.MQTT);
            SessionLogWrites.subscribe(store, number, "a/#", 1);
            SessionLogWrites.subscribe(store, number, "b/+", 2);
            SessionLogWrites.subscribe(store, number, "gone", 1);
            SessionLogWrites.subscribe(store, number, "a/#", 2);
            final byte[] gone = bytes("gone");
            store.log().unsubscribed(number, gone, 0, gone.length);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered()).hasSize(1);
            final DurableSession session = store.recovered().get(0);
            assertThat(session.number()).isEqualTo(number);
            assertThat(session.clientId()).isEqualTo("c1");
            assertThat(session.dialect()).isEqualTo(Dialect.MQTT);
            assertThat(session.subscriptions()).extracting(s -> text(s.filter()) + ":" + s.qos()).containsExactly("a/#:2", "b/+:2");
        }
    }

    @Test
    void shouldTreatASyncMarkedFilterAsTheSameSubscriptionWhenMoteUnsubscribesWithoutTheMarker()
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long number = store.log().opened("m", Dialect.MOTE);
            SessionLogWrites.subscribe(store, number, "/light/+/is_on", 1);
            final byte[] plain = bytes("light/+/is_on");
            store.log().unsubscribed(number, plain, 0, plain.length);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered().get(0).subscriptions()).isEmpty();
        }
    }

    @Test
    void shouldKeepUnfinishedMessagesWithTheirPacketIdsAndQos2StateWhenReopened()
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long n = store.log().opened("c", Dialect.MQTT);
            queue(store, n, 1, 1, "t/done", "acked");
            queue(store, n, 2, 2, "t/sent", "in flight");
            queue(store, n, 3, 2, "t/released", "pubrel owed");
            queue(store, n, 4, 1, "t/waiting", "never sent");
            store.log().packetIdAssigned(n, 1, 10);
            store.log().packetIdAssigned(n, 2, 11);
            store.log().packetIdAssigned(n, 3, 12);
            store.log().completed(n, 10);
            store.log().received(n, 12);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered().get(0).messages()).extracting(SessionStoreTest::describe).containsExactly(
                "1 q2 t/sent=in flight id11",
                "2 q2 t/released=pubrel owed id12 released",
                "3 q1 t/waiting=never sent");
        }
    }

    @Test
    void shouldKeepHeldInboundQos2IdsUntilReleasedWhenReopened()
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long n = store.log().opened("c", Dialect.MQTT);
            store.log().inboundHeld(n, 7);
            store.log().inboundHeld(n, 8);
            store.log().inboundReleased(n, 7);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered().get(0).inboundQos2()).containsExactly(8);
        }
    }

    @Test
    void shouldForgetAnEndedSessionAndRecordsArrivingAfterItsEnd()
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long ended = store.log().opened("old", Dialect.MQTT);
            store.log().ended(ended);
            queue(store, ended, 1, 1, "late", "from the encoding thread");
            store.log().opened("kept", Dialect.MOTE);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered()).extracting(DurableSession::clientId).containsExactly("kept");
        }
    }

    @Test
    void shouldLetASecondOpeningOfAClientIdSupersedeTheFirst()
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long first = store.log().opened("c", Dialect.MQTT);
            SessionLogWrites.subscribe(store, first, "first", 1);
            final long second = store.log().opened("c", Dialect.MOTE);
            SessionLogWrites.subscribe(store, second, "second", 1);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered()).singleElement().satisfies(s ->
            {
                assertThat(s.dialect()).isEqualTo(Dialect.MOTE);
                assertThat(s.subscriptions()).extracting(x -> text(x.filter())).containsExactly("second");
            });
        }
    }

    @Test
    void shouldGiveNumbersAboveEveryEarlierOneWhenReopenedAfterTheHighestEnded()
    {
        final long highest;
        try (SessionStore store = SessionStore.open(dir, config))
        {
            store.log().opened("a", Dialect.MQTT);
            highest = store.log().opened("b", Dialect.MQTT);
            store.log().ended(highest);
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.log().opened("c", Dialect.MQTT)).isGreaterThan(highest);
        }
    }

    @Test
    void shouldKeepExactlyTheLiveStateInOneGenerationWhenCompactedOnStart() throws Exception
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long n = store.log().opened("c", Dialect.MQTT);
            SessionLogWrites.subscribe(store, n, "s/#", 1);
            for (int i = 1; i <= 100; i++)
            {
                queue(store, n, i, 1, "s/" + i, "v" + i);
                store.log().packetIdAssigned(n, i, i);
                if (i != 50)
                {
                    store.log().completed(n, i);
                }
            }
            store.log().ended(store.log().opened("other", Dialect.MQTT));
        }
        final List<String> before;
        try (SessionStore store = SessionStore.open(dir, config))
        {
            before = store.recovered().stream().map(SessionStoreTest::describe).toList();
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            // opened + subscribed + queued + packet id of the one message left
            assertThat(store.replayedRecords()).isEqualTo(4);
            assertThat(store.recovered().stream().map(SessionStoreTest::describe).toList()).isEqualTo(before);
        }
        try (Stream<Path> entries = Files.list(dir))
        {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("CURRENT", "gen-3", "seg-3");
        }
    }

    @Test
    void shouldRecoverEverythingBeforeACorruptRecordAndNothingAfterIt() throws Exception
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            final long n = store.log().opened("c", Dialect.MQTT);
            queue(store, n, 1, 1, "t", "AAAA-kept");
            queue(store, n, 2, 1, "t", "BBBB-corrupt");
            queue(store, n, 3, 1, "t", "CCCC-after");
        }
        QueueFiles.flipByteOf(dir.resolve("seg-1"), "BBBB-corrupt");
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.replayStoppedAtCorruption()).isTrue();
            assertThat(store.recovered().get(0).messages()).extracting(m -> text(m.payload())).containsExactly("AAAA-kept");
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.replayStoppedAtCorruption()).as("the compacted generation holds only good records").isFalse();
            assertThat(store.recovered().get(0).messages()).hasSize(1);
        }
    }

    @Test
    void shouldStartFromTheCompleteGenerationWhenACrashLeftAHalfWrittenNextOne() throws Exception
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            SessionLogWrites.subscribe(store, store.log().opened("c", Dialect.MQTT), "kept", 1);
        }
        // A start that died while writing the next generation: CURRENT still names gen-1.
        Files.createDirectories(dir.resolve("gen-2"));
        Files.writeString(dir.resolve("gen-2").resolve("garbage.cq4"), "half written");
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.recovered().get(0).subscriptions()).extracting(s -> text(s.filter())).containsExactly("kept");
        }
    }

    @Test
    void shouldReadTheFirstLayoutWhenCurrentNamesOnlyAGeneration(@TempDir final Path old) throws Exception
    {
        try (SessionStore store = SessionStore.open(dir, config))
        {
            SessionLogWrites.subscribe(store, store.log().opened("c", Dialect.MQTT), "kept", 1);
        }
        // The first layout: one queue gen-N holding the compacted state and the appends after it.
        Files.move(dir.resolve("seg-1"), old.resolve("gen-7"));
        Files.writeString(old.resolve(SessionStore.CURRENT), "generation 7 next-number 2\n");
        try (SessionStore store = SessionStore.open(old, config))
        {
            assertThat(store.recovered()).extracting(DurableSession::clientId).containsExactly("c");
            assertThat(store.recovered().get(0).subscriptions()).extracting(s -> text(s.filter())).containsExactly("kept");
        }
        try (Stream<Path> entries = Files.list(old))
        {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("CURRENT", "gen-8", "seg-1");
        }
    }

    @Test
    void shouldKeepEveryThreadsRecordsInOrderWhenThreadsAppendConcurrently() throws Exception
    {
        final int threads = 4;
        final int messages = 2_000;
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
                    for (int i = 1; i <= messages; i++)
                    {
                        queue(store, n, i, 1, "t/" + n, "m" + i);
                        store.log().packetIdAssigned(n, i, 1 + i % 65_535);
                        if (i % 2 == 0)
                        {
                            store.log().completed(n, 1 + i % 65_535);
                        }
                    }
                    store.log().sync();
                });
                writers.add(writer);
                writer.start();
            }
            start.countDown();
            for (final Thread writer : writers)
            {
                writer.join();
            }
        }
        try (SessionStore store = SessionStore.open(dir, config))
        {
            assertThat(store.replayStoppedAtCorruption()).isFalse();
            assertThat(store.recovered()).hasSize(threads).allSatisfy(session ->
                assertThat(session.messages()).extracting(m -> text(m.payload()))
                    .containsExactlyElementsOf(Stream.iterate(1, i -> i + 2).limit(messages / 2).map(i -> "m" + i).toList()));
        }
    }

    private static void queue(final SessionStore store, final long number, final long seq, final int qos, final String topic, final String payload)
    {
        final byte[] t = bytes(topic);
        final byte[] p = bytes(payload);
        store.log().queued(number, seq, qos, false, t, 0, t.length, p, 0, p.length);
    }

    static String describe(final DurableSession.Message m)
    {
        return m.seq() + " q" + m.qos() + " " + text(m.topic()) + "=" + text(m.payload())
            + (m.packetId() != 0 ? " id" + m.packetId() : "") + (m.released() ? " released" : "");
    }

    static String describe(final DurableSession s)
    {
        return s.number() + " " + s.clientId() + " " + s.dialect()
            + " subs " + s.subscriptions().stream().map(x -> text(x.filter()) + ":" + x.qos()).toList()
            + " messages " + s.messages().stream().map(SessionStoreTest::describe).toList()
            + " inbound " + java.util.Arrays.toString(s.inboundQos2());
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
