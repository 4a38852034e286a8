package io.mote.transport.it;

import io.mote.engine.Json;
import io.mote.engine.topic.Dialect;
import io.mote.transport.server.BrokerFixture;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every vector of the conformance file (engine test resource {@code conformance/mote-vectors.json},
 * the same copy the in-process run reads), run over real TCP sockets against a whole broker: each
 * client is a {@link RawMqttClient} in the dialect the vector names.
 *
 * <p>An {@code expect} step must see exactly the messages that arrived since the previous one. To
 * know the broker has nothing more to send without waiting on a clock, each step ends with a
 * barrier: every client's PINGREQ round trip proves its earlier packets have entered the engine
 * (the server flushes a read's commands into the ring before it flushes that read's answers), then
 * one QoS 0 publish to a {@code $} topic that every client subscribed to at connect (a filter whose
 * first level is a wildcard never matches it, and it is not retained) travels through the engine
 * behind them; per session, deliveries keep the engine's order, so once a client has the barrier
 * message it has everything the case's steps caused.
 */
class ConformanceOverTcpTest
{
    private static final String BARRIER = "$it/barrier";

    @TestFactory
    Stream<DynamicTest> shouldBehaveAsEveryConformanceVectorSaysOverTcp()
    {
        return vectors().stream().map(vector -> DynamicTest.dynamicTest((String)vector.get("name"), () -> run(vector, false)));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> vectors()
    {
        try (InputStream in = ConformanceOverTcpTest.class.getResourceAsStream("/conformance/mote-vectors.json"))
        {
            return (List<Map<String, Object>>)Json.parse(Objects.requireNonNull(in, "vectors missing").readAllBytes());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    static void run(final Map<String, Object> vector, final boolean webSocket) throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(); Case run = new Case(broker, webSocket))
        {
            run.seed((Map<String, Object>)vector.get("retained"));
            for (final Map<String, Object> step : (List<Map<String, Object>>)vector.get("steps"))
            {
                run.step(step);
            }
            final Map<String, String> expected = new TreeMap<>();
            ((Map<String, Object>)vector.get("retained_after")).forEach((k, v) -> expected.put(k, (String)v));
            assertThat(new TreeMap<>(Snapshots.retainedRows(broker))).as("retained rows after the case (sync /#)").isEqualTo(expected);
            assertThat(broker.engine().stats().retainedRows()).as("engine's retained row count").isEqualTo(expected.size());
            run.assertNoProtocolErrors();
        }
    }

    /** One vector's run: its clients by name, connected on first use. */
    private static final class Case implements AutoCloseable
    {
        private final BrokerFixture broker;
        private final boolean webSocket;
        private final Map<String, RawMqttClient> clients = new LinkedHashMap<>();
        private final Set<String> disconnected = new HashSet<>();
        private final RawMqttClient barrier;
        private int barriers;

        Case(final BrokerFixture broker, final boolean webSocket) throws Exception
        {
            this.broker = broker;
            this.webSocket = webSocket;
            barrier = RawMqttClient.connected(broker.port(), Dialect.MOTE, "it-barrier");
        }

        void seed(final Map<String, Object> retained) throws Exception
        {
            if (retained.isEmpty())
            {
                return;
            }
            try (RawMqttClient seeder = RawMqttClient.connected(broker.port(), Dialect.MOTE, "it-seeder"))
            {
                for (final Map.Entry<String, Object> row : retained.entrySet())
                {
                    // QoS 1: PUBACK comes once the row is stored, so the case starts after it.
                    seeder.publish(row.getKey(), (String)row.getValue(), 1, true);
                }
                seeder.disconnect();
            }
        }

        @SuppressWarnings("unchecked")
        void step(final Map<String, Object> step) throws Exception
        {
            if (step.containsKey("connect"))
            {
                final Map<String, Object> connect = (Map<String, Object>)step.get("connect");
                connect((String)connect.get("client"), "mqtt".equals(connect.get("dialect")) ? Dialect.MQTT : Dialect.MOTE);
            }
            else if (step.containsKey("subscribe"))
            {
                final Map<String, Object> s = (Map<String, Object>)step.get("subscribe");
                final int qos = ((Number)s.get("qos")).intValue();
                assertThat(client((String)s.get("client")).subscribe(qos, (String)s.get("filter")))
                    .as("SUBACK for %s", s.get("filter")).containsExactly(qos);
            }
            else if (step.containsKey("unsubscribe"))
            {
                final Map<String, Object> u = (Map<String, Object>)step.get("unsubscribe");
                client((String)u.get("client")).unsubscribe((String)u.get("filter"));
            }
            else if (step.containsKey("publish"))
            {
                final Map<String, Object> p = (Map<String, Object>)step.get("publish");
                client((String)p.get("client")).publish((String)p.get("topic"), (String)p.get("payload"),
                    ((Number)p.get("qos")).intValue(), Boolean.TRUE.equals(p.get("retain")));
            }
            else if (step.containsKey("expect"))
            {
                expect((List<Map<String, Object>>)step.get("expect"), (List<String>)step.getOrDefault("disconnected", List.of()));
            }
            else
            {
                throw new IllegalArgumentException("unknown step " + step.keySet());
            }
        }

        private void expect(final List<Map<String, Object>> expectations, final List<String> mustBeClosed) throws Exception
        {
            final List<String> expected = new ArrayList<>();
            for (final Map<String, Object> e : expectations)
            {
                expected.add(describe(e));
            }
            final List<String> actual = new ArrayList<>();
            for (final Map.Entry<String, List<RawMqttClient.Received>> entry : receivedUntilQuiet().entrySet())
            {
                for (final RawMqttClient.Received message : entry.getValue())
                {
                    actual.add(describe(entry.getKey(), message, expectations));
                }
            }
            assertThat(actual).as("messages received").containsExactlyInAnyOrderElementsOf(expected);
            for (final String name : mustBeClosed)
            {
                assertThat(clients.get(name).awaitClosed(RawMqttClient.TIMEOUT)).as("broker closed %s", name).isTrue();
                disconnected.add(name);
            }
            clients.forEach((name, client) ->
                assertThat(client.isOpen() || disconnected.contains(name)).as("%s is still connected", name).isTrue());
        }

        /** Everything each client received up to the barrier (see the class comment), barrier messages left out. */
        private Map<String, List<RawMqttClient.Received>> receivedUntilQuiet() throws InterruptedException
        {
            for (final RawMqttClient client : clients.values())
            {
                client.ping();
            }
            final String token = "barrier-" + ++barriers;
            barrier.publish(BARRIER, token, 0, false);
            final Map<String, List<RawMqttClient.Received>> all = new LinkedHashMap<>();
            for (final Map.Entry<String, RawMqttClient> entry : clients.entrySet())
            {
                all.put(entry.getKey(), untilBarrier(entry.getValue(), token));
            }
            return all;
        }

        private static List<RawMqttClient.Received> untilBarrier(final RawMqttClient client, final String token) throws InterruptedException
        {
            final List<RawMqttClient.Received> messages = new ArrayList<>();
            final long deadline = System.nanoTime() + RawMqttClient.TIMEOUT.toNanos();
            while (System.nanoTime() < deadline)
            {
                final RawMqttClient.Received next = client.poll(Duration.ofMillis(50));
                if (next == null)
                {
                    if (!client.isOpen())
                    {
                        // Closed by the broker: what it sent before closing is all there is.
                        messages.addAll(client.drainReceived());
                        return withoutBarriers(messages);
                    }
                    continue;
                }
                if (next.topic().equals(BARRIER) && next.payloadText().equals(token))
                {
                    return withoutBarriers(messages);
                }
                messages.add(next);
            }
            throw new AssertionError("barrier " + token + " never reached " + client);
        }

        private static List<RawMqttClient.Received> withoutBarriers(final List<RawMqttClient.Received> messages)
        {
            messages.removeIf(m -> m.topic().equals(BARRIER));
            return messages;
        }

        private RawMqttClient client(final String name) throws Exception
        {
            final RawMqttClient existing = clients.get(name);
            return existing != null ? existing : connect(name, Dialect.MOTE);
        }

        private RawMqttClient connect(final String name, final Dialect dialect) throws Exception
        {
            final RawMqttClient client = webSocket
                ? RawMqttClient.connectedWebSocket(broker.wsPort(), dialect, name)
                : RawMqttClient.connected(broker.port(), dialect, name);
            assertThat(client.subscribe(0, BARRIER)).containsExactly(0);
            final RawMqttClient previous = clients.put(name, client);
            if (previous != null)
            {
                previous.close();
            }
            return client;
        }

        void assertNoProtocolErrors()
        {
            clients.forEach((name, client) -> assertThat(client.protocolErrors()).as("what %s could not decode", name).isEmpty());
        }

        @Override
        public void close()
        {
            clients.values().forEach(RawMqttClient::close);
            barrier.close();
        }
    }

    /** A canonical text of an expected message: JSON compared as parsed values, payloads as bytes. */
    private static String describe(final Map<String, Object> expected)
    {
        final String content = expected.containsKey("json")
            ? "json:" + canonical(expected.get("json"))
            : raw(((String)expected.get("payload")).getBytes(StandardCharsets.UTF_8));
        final String retain = expected.containsKey("retain") ? " retain=" + expected.get("retain") : "";
        return expected.get("client") + " " + expected.get("topic") + " " + content + retain;
    }

    private static String describe(final String client, final RawMqttClient.Received m, final List<Map<String, Object>> expectations)
    {
        final boolean expectJson = expectations.stream().anyMatch(e -> matches(e, client, m) && e.containsKey("json"));
        final boolean mentionsRetain = expectations.stream().anyMatch(e -> matches(e, client, m) && e.containsKey("retain"));
        String content;
        try
        {
            content = expectJson ? "json:" + canonical(Json.parse(m.payload())) : raw(m.payload());
        }
        catch (final UncheckedIOException notJson)
        {
            content = "not-json:" + raw(m.payload());
        }
        return client + " " + m.topic() + " " + content + (mentionsRetain ? " retain=" + m.retain() : "");
    }

    private static boolean matches(final Map<String, Object> expectation, final String client, final RawMqttClient.Received m)
    {
        return client.equals(expectation.get("client")) && m.topic().equals(expectation.get("topic"));
    }

    private static String raw(final byte[] payload)
    {
        return "raw:'" + new String(payload, StandardCharsets.UTF_8) + "' (" + HexFormat.of().formatHex(payload) + ")";
    }

    @SuppressWarnings("unchecked")
    private static Object canonical(final Object json)
    {
        if (json instanceof Map)
        {
            final Map<String, Object> sorted = new TreeMap<>();
            ((Map<String, Object>)json).forEach((k, v) -> sorted.put(k, canonical(v)));
            return sorted;
        }
        return json;
    }
}
