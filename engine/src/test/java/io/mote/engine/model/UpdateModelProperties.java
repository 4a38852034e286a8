package io.mote.engine.model;

import io.mote.engine.CollectingOutbound;
import io.mote.engine.EngineHarness;
import io.mote.engine.Json;
import io.mote.engine.topic.Dialect;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who receives what (PROTOCOL.md §3, §3.1, §4), against a model: each mote subscription gets one
 * message per batch that matches it, on its filter topic at its granted QoS, holding the §3.1 JSON
 * of the matched rows (or the raw payload for an exact filter); each mqtt-dialect client gets one
 * message per matched row on the row's topic, once even with overlapping subscriptions, at
 * min(publish QoS, highest granted QoS). Subscriptions come and go between publishes; sync
 * snapshots and the retained rows an mqtt SUBSCRIBE sends are checked on the way.
 */
class UpdateModelProperties
{
    private static final String PUBLISHER = "publisher";
    private static final List<String> MOTE_CLIENTS = List.of("m1", "m2");
    private static final List<String> MQTT_CLIENTS = List.of("q1", "q2");

    sealed interface Step permits Subscribe, Unsubscribe, Send
    {
    }

    /** Sync is only for the mote dialect; in the mqtt dialect a leading '/' is an empty level. */
    record Subscribe(String client, String filter, int qos, boolean sync) implements Step
    {
    }

    /** Unsubscribes the n-th (modulo their number) current subscription of the client. */
    record Unsubscribe(String client, int n) implements Step
    {
    }

    record Send(Ops.Publish publish) implements Step
    {
    }

    @Property(tries = 200)
    void shouldDeliverOneMessagePerMatchingSubscriptionAndOnePerRowPerMqttClientWhenPlainRowsArePublished(
        @ForAll("seeds") final List<Ops.Plain> seed,
        @ForAll("plainSteps") final List<Step> steps)
    {
        run(seed, steps);
    }

    @Property(tries = 100)
    void shouldDeliverTheBatchOfWildcardAndTreePublishesAsTheModelSaysWhenTheyFanOut(
        @ForAll("seeds") final List<Ops.Plain> seed,
        @ForAll("anySteps") final List<Step> steps)
    {
        run(seed, steps);
    }

    private static void run(final List<Ops.Plain> seed, final List<Step> steps)
    {
        final MoteModel model = new MoteModel();
        final Map<String, LinkedHashMap<String, Integer>> subscriptions = new LinkedHashMap<>();
        try (EngineHarness harness = new EngineHarness())
        {
            harness.connect(PUBLISHER, Dialect.MOTE);
            MOTE_CLIENTS.forEach(c -> harness.connect(c, Dialect.MOTE));
            MQTT_CLIENTS.forEach(c -> harness.connect(c, Dialect.MQTT));
            for (final Ops.Plain row : seed)
            {
                model.apply(model.batch(row), row.qos());
                assertThat(harness.publish(PUBLISHER, row.topic(), row.payload(), row.qos(), true)).isNull();
            }
            harness.messages();
            for (final Step step : steps)
            {
                final List<String> expected = new ArrayList<>();
                if (step instanceof Subscribe s)
                {
                    subscriptions.computeIfAbsent(s.client(), c -> new LinkedHashMap<>()).put(s.filter(), s.qos());
                    expectOnSubscribe(model, s, expected);
                    assertThat(harness.subscribe(s.client(), (s.sync() ? "/" : "") + s.filter(), s.qos()).isValid()).isTrue();
                }
                else if (step instanceof Unsubscribe u)
                {
                    final List<String> filters = new ArrayList<>(subscriptions.getOrDefault(u.client(), new LinkedHashMap<>()).keySet());
                    if (filters.isEmpty())
                    {
                        continue;
                    }
                    final String filter = filters.get(u.n() % filters.size());
                    subscriptions.get(u.client()).remove(filter);
                    assertThat(harness.unsubscribe(u.client(), filter).isValid()).isTrue();
                }
                else
                {
                    final Ops.Publish p = ((Send)step).publish();
                    final LinkedHashMap<String, String> batch = model.batch(p);
                    expectOnBatch(p.qos(), batch, subscriptions, expected);
                    if (p.retain())
                    {
                        model.apply(batch, p.qos());
                    }
                    assertThat(harness.publish(PUBLISHER, p.topic(), p.payloadText(), p.qos(), p.retain())).as("refusal of %s", p).isNull();
                }
                final List<String> actual = harness.messages().stream().map(m -> describe(harness, m)).toList();
                assertThat(actual).as("messages after %s with subscriptions %s and retained %s", step, subscriptions, model.retained)
                    .containsExactlyInAnyOrderElementsOf(expected);
            }
            assertThat(harness.verdictsRejected()).isEmpty();
        }
    }

    private static void expectOnSubscribe(final MoteModel model, final Subscribe s, final List<String> expected)
    {
        if (isMote(s.client()))
        {
            if (s.sync())
            {
                expected.add(expectedMote(s.client(), s.filter(), s.qos(), true, model.retainedMatching(s.filter())));
            }
            return;
        }
        model.retained.forEach((topic, payload) ->
        {
            if (MoteModel.matchesMqtt(s.filter(), topic))
            {
                expected.add(line(s.client(), topic, Math.min(model.retainedQos.get(topic), s.qos()), true, "raw:" + payload));
            }
        });
    }

    private static void expectOnBatch(final int publishQos, final Map<String, String> batch,
        final Map<String, LinkedHashMap<String, Integer>> subscriptions, final List<String> expected)
    {
        subscriptions.forEach((client, filters) ->
        {
            if (isMote(client))
            {
                filters.forEach((filter, qos) ->
                {
                    final Map<String, String> matched = new LinkedHashMap<>();
                    batch.forEach((topic, payload) ->
                    {
                        if (MoteModel.matchesMote(filter, topic))
                        {
                            matched.put(topic, payload);
                        }
                    });
                    if (!matched.isEmpty())
                    {
                        expected.add(expectedMote(client, filter, qos, false, matched));
                    }
                });
                return;
            }
            batch.forEach((topic, payload) ->
            {
                final int granted = filters.entrySet().stream().filter(e -> MoteModel.matchesMqtt(e.getKey(), topic))
                    .mapToInt(Map.Entry::getValue).max().orElse(-1);
                if (granted >= 0)
                {
                    expected.add(line(client, topic, Math.min(publishQos, granted), false, "raw:" + (payload == null ? "" : payload)));
                }
            });
        });
    }

    /** One message of a mote subscription: §3.1 JSON for a wildcard filter, else the last raw payload. */
    private static String expectedMote(final String client, final String filter, final int qos, final boolean retain, final Map<String, String> rows)
    {
        if (filter.contains("+") || filter.contains("#"))
        {
            return line(client, filter, qos, retain, MoteModel.render(MoteModel.expectedJson(filter, rows)));
        }
        String last = "";
        for (final String payload : rows.values())
        {
            last = payload == null ? "" : payload;
        }
        return line(client, filter, qos, retain, "raw:" + last);
    }

    private static String describe(final EngineHarness harness, final CollectingOutbound.Message m)
    {
        final String client = harness.name(m.subscriberId());
        final boolean json = isMote(client) && (m.topic().contains("+") || m.topic().contains("#"));
        return line(client, m.topic(), m.qos(), m.retain(), json ? MoteModel.render(Json.parse(m.payload())) : "raw:" + m.payloadText());
    }

    private static String line(final String client, final String topic, final int qos, final boolean retain, final String content)
    {
        return client + " " + topic + " qos" + qos + (retain ? " retain " : " ") + content;
    }

    private static boolean isMote(final String client)
    {
        return MOTE_CLIENTS.contains(client);
    }

    // Arbitraries -------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Ops.Plain>> seeds()
    {
        final Arbitrary<Ops.Plain> row = Combinators.combine(Ops.plainTopic(), Ops.text(), Ops.qos())
            .as((topic, payload, qos) -> new Ops.Plain(topic, payload, true, qos));
        return row.list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Step>> plainSteps()
    {
        return steps(Ops.plain());
    }

    @Provide
    Arbitrary<List<Step>> anySteps()
    {
        return steps(Ops.anyPublish());
    }

    /** Some subscriptions first, then publishes mixed with (un)subscribes. */
    private static Arbitrary<List<Step>> steps(final Arbitrary<Ops.Publish> publishes)
    {
        final Arbitrary<String> filter = Arbitraries.oneOf(Ops.filter(true), Ops.filter(false));
        final Arbitrary<Step> moteSubscribe = Combinators.combine(Arbitraries.of(MOTE_CLIENTS), filter, Ops.qos(), Arbitraries.of(true, false))
            .as(Subscribe::new);
        final Arbitrary<Step> mqttSubscribe = Combinators.combine(Arbitraries.of(MQTT_CLIENTS), filter, Ops.qos())
            .as((c, f, q) -> new Subscribe(c, f, q, false));
        final Arbitrary<Step> subscribe = Arbitraries.oneOf(moteSubscribe, mqttSubscribe);
        final Arbitrary<Step> unsubscribe = Combinators.combine(
            Arbitraries.of(MOTE_CLIENTS.get(0), MOTE_CLIENTS.get(1), MQTT_CLIENTS.get(0), MQTT_CLIENTS.get(1)),
            Arbitraries.integers().between(0, 7)).as(Unsubscribe::new);
        final Arbitrary<Step> step = Arbitraries.frequencyOf(
            Tuple.of(6, publishes.map(Send::new)),
            Tuple.of(2, subscribe),
            Tuple.of(1, unsubscribe));
        return Combinators.combine(subscribe.list().ofMinSize(1).ofMaxSize(6), step.list().ofMinSize(1).ofMaxSize(12))
            .as((first, rest) ->
            {
                final List<Step> all = new ArrayList<>(first);
                all.addAll(rest);
                return all;
            });
    }
}
