package io.mote.persistence;

import io.mote.engine.session.DurableSession;
import io.mote.engine.topic.Dialect;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random runs of session operations, as the transport would record them, recover to what a plain
 * in-memory model of the sessions holds, and a second start (after compaction) to the same again.
 * jqwik reports the seed of a failing run.
 */
class SessionRecoveryPropertyTest
{
    private static final String[] CLIENTS = {"a", "b", "c"};
    private static final String[] FILTERS = {"x/#", "x/+", "y", "z/+/w"};

    @Property(tries = 30)
    void shouldRecoverWhatTheModelHoldsWhenRandomOperationsAreReplayed(@ForAll final long seed) throws IOException
    {
        final Path dir = Files.createTempDirectory("session-property");
        try
        {
            final Random random = new Random(seed);
            final Map<String, ModelSession> model = new LinkedHashMap<>();
            final JournalConfig config = JournalConfig.defaults().withBlockSize(1 << 20);
            try (SessionStore store = SessionStore.open(dir, config))
            {
                for (int step = 0, steps = 50 + random.nextInt(300); step < steps; step++)
                {
                    apply(random, store, model);
                }
            }
            final List<String> expected = model.values().stream()
                .sorted(Comparator.comparingLong(s -> s.number))
                .map(ModelSession::describe)
                .toList();
            try (SessionStore store = SessionStore.open(dir, config))
            {
                assertThat(store.recovered().stream().map(SessionRecoveryPropertyTest::describe).toList()).isEqualTo(expected);
            }
            try (SessionStore store = SessionStore.open(dir, config))
            {
                assertThat(store.recovered().stream().map(SessionRecoveryPropertyTest::describe).toList()).as("after compaction").isEqualTo(expected);
            }
        }
        finally
        {
            try (Stream<Path> walk = Files.walk(dir))
            {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property(tries = 30)
    void shouldRecoverWhatTheModelHoldsWhenCompactionsRunBetweenOperationsAndACrashCutsOneShort(@ForAll final long seed)
        throws IOException
    {
        final Path dir = Files.createTempDirectory("session-property");
        final Path crashed = Files.createTempDirectory("session-property-crash");
        try
        {
            final Random random = new Random(seed);
            final Map<String, ModelSession> model = new LinkedHashMap<>();
            final JournalConfig config = JournalConfig.defaults().withBlockSize(1 << 16);
            final List<String> atCrash;
            try (SessionStore store = SessionStore.open(dir, config))
            {
                final int steps = 50 + random.nextInt(300);
                final int crashAt = random.nextInt(steps);
                List<String> snapshot = null;
                for (int step = 0; step < steps; step++)
                {
                    if (random.nextInt(25) == 0)
                    {
                        store.compactNow();
                    }
                    if (step == crashAt)
                    {
                        // A compaction cut short at a random step, then more records, then kill -9
                        // (the directory as the page cache holds it).
                        final SessionStore.Step[] steps4 = SessionStore.Step.values();
                        store.compact(steps4[random.nextInt(steps4.length)]);
                        for (int more = random.nextInt(10); more > 0; more--)
                        {
                            apply(random, store, model);
                        }
                        SessionLogCompactionTest.copyTree(dir, crashed);
                        snapshot = expected(model);
                    }
                    apply(random, store, model);
                }
                atCrash = snapshot;
            }
            try (SessionStore store = SessionStore.open(dir, config))
            {
                assertThat(store.recovered().stream().map(SessionRecoveryPropertyTest::describe).toList()).isEqualTo(expected(model));
            }
            try (SessionStore store = SessionStore.open(crashed, config))
            {
                assertThat(store.recovered().stream().map(SessionRecoveryPropertyTest::describe).toList()).as("after the crash")
                    .isEqualTo(atCrash);
            }
        }
        finally
        {
            for (final Path root : List.of(dir, crashed))
            {
                try (Stream<Path> walk = Files.walk(root))
                {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static List<String> expected(final Map<String, ModelSession> model)
    {
        return model.values().stream()
            .sorted(Comparator.comparingLong(s -> s.number))
            .map(ModelSession::describe)
            .toList();
    }

    private static void apply(final Random random, final SessionStore store, final Map<String, ModelSession> model)
    {
        final String clientId = CLIENTS[random.nextInt(CLIENTS.length)];
        final ModelSession session = model.get(clientId);
        final int op = random.nextInt(10);
        if (session == null || op == 0)
        {
            final Dialect dialect = random.nextBoolean() ? Dialect.MQTT : Dialect.MOTE;
            final long number = store.log().opened(clientId, dialect);
            model.put(clientId, new ModelSession(number, clientId, dialect));
            return;
        }
        final long n = session.number;
        switch (op)
        {
            case 1 ->
            {
                store.log().ended(n);
                model.remove(clientId);
            }
            case 2 ->
            {
                final String filter = FILTERS[random.nextInt(FILTERS.length)];
                final int qos = random.nextInt(3);
                final byte[] bytes = filter.getBytes(StandardCharsets.UTF_8);
                store.log().subscribed(n, bytes, 0, bytes.length, qos);
                session.subscriptions.put(filter, qos);
            }
            case 3 ->
            {
                final String filter = FILTERS[random.nextInt(FILTERS.length)];
                final byte[] bytes = filter.getBytes(StandardCharsets.UTF_8);
                store.log().unsubscribed(n, bytes, 0, bytes.length);
                session.subscriptions.remove(filter);
            }
            case 4, 5 ->
            {
                final long seq = session.nextSeq++;
                final int qos = 1 + random.nextInt(2);
                final boolean retain = random.nextBoolean();
                final byte[] topic = ("t/" + seq).getBytes(StandardCharsets.UTF_8);
                final byte[] payload = ("p" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
                store.log().queued(n, seq, qos, retain, topic, 0, topic.length, payload, 0, payload.length);
                session.messages.put(seq, new ModelMessage(qos, retain, new String(topic, StandardCharsets.UTF_8), new String(payload, StandardCharsets.UTF_8)));
            }
            case 6 ->
            {
                // The inflight window takes the oldest message never sent, with a free packet id.
                final ModelMessage next = session.messages.values().stream().filter(m -> m.packetId == 0).findFirst().orElse(null);
                if (next != null)
                {
                    final long seq = session.messages.entrySet().stream().filter(e -> e.getValue() == next).findFirst().orElseThrow().getKey();
                    int id = 1 + random.nextInt(20);
                    while (session.usesPacketId(id))
                    {
                        id = id % 65_535 + 1;
                    }
                    store.log().packetIdAssigned(n, seq, id);
                    next.packetId = id;
                }
            }
            case 7 ->
            {
                final ModelMessage sent = pickSent(random, session);
                if (sent != null)
                {
                    store.log().completed(n, sent.packetId);
                    session.messages.values().remove(sent);
                }
            }
            case 8 ->
            {
                final ModelMessage sent = pickSent(random, session);
                if (sent != null && sent.qos == 2)
                {
                    store.log().received(n, sent.packetId);
                    sent.released = true;
                }
            }
            default ->
            {
                final int id = 1 + random.nextInt(5);
                if (random.nextBoolean())
                {
                    store.log().inboundHeld(n, id);
                    if (!session.inbound.contains(id))
                    {
                        session.inbound.add(id);
                    }
                }
                else
                {
                    store.log().inboundReleased(n, id);
                    session.inbound.remove((Integer)id);
                }
            }
        }
    }

    private static ModelMessage pickSent(final Random random, final ModelSession session)
    {
        final List<ModelMessage> sent = session.messages.values().stream().filter(m -> m.packetId != 0).toList();
        return sent.isEmpty() ? null : sent.get(random.nextInt(sent.size()));
    }

    static String describe(final DurableSession s)
    {
        final List<String> subscriptions = s.subscriptions().stream().map(x -> new String(x.filter(), StandardCharsets.UTF_8) + ":" + x.qos()).toList();
        final List<String> messages = s.messages().stream().map(m -> m.seq() + " q" + m.qos() + (m.retain() ? "r " : " ")
            + new String(m.topic(), StandardCharsets.UTF_8) + "=" + new String(m.payload(), StandardCharsets.UTF_8)
            + " id" + m.packetId() + (m.released() ? " rel" : "")).toList();
        return s.number() + " " + s.clientId() + " " + s.dialect() + " " + subscriptions + " " + messages + " " + Arrays.toString(s.inboundQos2());
    }

    private static final class ModelSession
    {
        final long number;
        final String clientId;
        final Dialect dialect;
        final Map<String, Integer> subscriptions = new LinkedHashMap<>();
        final TreeMap<Long, ModelMessage> messages = new TreeMap<>();
        final List<Integer> inbound = new ArrayList<>();
        long nextSeq = 1;

        ModelSession(final long number, final String clientId, final Dialect dialect)
        {
            this.number = number;
            this.clientId = clientId;
            this.dialect = dialect;
        }

        boolean usesPacketId(final int id)
        {
            return messages.values().stream().anyMatch(m -> m.packetId == id);
        }

        /** As recovery presents it: sent messages first, each group in order, renumbered from 1. */
        String describe()
        {
            final List<ModelMessage> ordered = new ArrayList<>(messages.values().stream().filter(m -> m.packetId != 0).toList());
            ordered.addAll(messages.values().stream().filter(m -> m.packetId == 0).toList());
            final List<String> described = new ArrayList<>();
            long seq = 1;
            for (final ModelMessage m : ordered)
            {
                described.add(seq++ + " q" + m.qos + (m.retain ? "r " : " ") + m.topic + "=" + m.payload + " id" + m.packetId + (m.released ? " rel" : ""));
            }
            final List<String> subs = subscriptions.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList();
            return number + " " + clientId + " " + dialect + " " + subs + " " + described + " "
                + Arrays.toString(inbound.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private static final class ModelMessage
    {
        final int qos;
        final boolean retain;
        final String topic;
        final String payload;
        int packetId;
        boolean released;

        ModelMessage(final int qos, final boolean retain, final String topic, final String payload)
        {
            this.qos = qos;
            this.retain = retain;
            this.topic = topic;
            this.payload = payload;
        }
    }
}
