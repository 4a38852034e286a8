package io.mote.engine.conformance;

import io.mote.engine.CollectingOutbound;
import io.mote.engine.EngineHarness;
import io.mote.engine.Json;
import io.mote.engine.topic.Dialect;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every behaviour vector of the Mote conformance file, run in-process through the ring. The file is
 * the project's copy of the protocol's vectors (test resource {@code conformance/mote-vectors.json}).
 */
class ConformanceVectorsTest
{
    @TestFactory
    Stream<DynamicTest> shouldBehaveAsEveryConformanceVectorSays()
    {
        return vectors().stream().map(vector -> DynamicTest.dynamicTest((String)vector.get("name"), () -> run(vector)));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> vectors()
    {
        try (InputStream in = ConformanceVectorsTest.class.getResourceAsStream("/conformance/mote-vectors.json"))
        {
            return (List<Map<String, Object>>)Json.parse(Objects.requireNonNull(in, "vectors missing").readAllBytes());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static void run(final Map<String, Object> vector)
    {
        try (EngineHarness harness = new EngineHarness())
        {
            final Map<String, Object> retained = (Map<String, Object>)vector.get("retained");
            for (final Map.Entry<String, Object> row : retained.entrySet())
            {
                assertThat(harness.publish("\u0000setup", row.getKey(), (String)row.getValue(), 0, true)).isNull();
            }
            harness.messages();
            for (final Map<String, Object> step : (List<Map<String, Object>>)vector.get("steps"))
            {
                runStep(harness, step);
            }
            final Map<String, String> expected = new java.util.TreeMap<>();
            ((Map<String, Object>)vector.get("retained_after")).forEach((k, v) -> expected.put(k, (String)v));
            assertThat(harness.retainedRows()).as("retained rows after the case").isEqualTo(expected);
        }
    }

    @SuppressWarnings("unchecked")
    private static void runStep(final EngineHarness harness, final Map<String, Object> step)
    {
        if (step.containsKey("connect"))
        {
            final Map<String, Object> connect = (Map<String, Object>)step.get("connect");
            harness.connect((String)connect.get("client"), "mqtt".equals(connect.get("dialect")) ? Dialect.MQTT : Dialect.MOTE);
        }
        else if (step.containsKey("subscribe"))
        {
            final Map<String, Object> s = (Map<String, Object>)step.get("subscribe");
            assertThat(harness.subscribe((String)s.get("client"), (String)s.get("filter"), ((Number)s.get("qos")).intValue()).isValid())
                .as("filter %s is valid", s.get("filter")).isTrue();
        }
        else if (step.containsKey("unsubscribe"))
        {
            final Map<String, Object> u = (Map<String, Object>)step.get("unsubscribe");
            harness.unsubscribe((String)u.get("client"), (String)u.get("filter"));
        }
        else if (step.containsKey("publish"))
        {
            final Map<String, Object> p = (Map<String, Object>)step.get("publish");
            harness.publish((String)p.get("client"), (String)p.get("topic"), (String)p.get("payload"),
                ((Number)p.get("qos")).intValue(), Boolean.TRUE.equals(p.get("retain")));
        }
        else if (step.containsKey("expect"))
        {
            final List<String> expected = new ArrayList<>();
            for (final Map<String, Object> e : (List<Map<String, Object>>)step.get("expect"))
            {
                expected.add(describe(e));
            }
            final List<String> actual = new ArrayList<>();
            for (final CollectingOutbound.Message m : harness.messages())
            {
                actual.add(describe(harness.name(m.subscriberId()), m, (List<Map<String, Object>>)step.get("expect")));
            }
            assertThat(actual).as("messages received").containsExactlyInAnyOrderElementsOf(expected);
            if (step.containsKey("disconnected"))
            {
                for (final String v : harness.verdictsRejected())
                {
                    harness.disconnectedClients().add(v);
                }
                assertThat(harness.disconnectedClients()).containsAll((List<String>)step.get("disconnected"));
            }
        }
        else
        {
            throw new IllegalArgumentException("unknown step " + step.keySet());
        }
    }

    /** A canonical text of an expected message: JSON compared as parsed values, payloads as text. */
    private static String describe(final Map<String, Object> expected)
    {
        final Object content = expected.containsKey("json") ? canonical(expected.get("json")) : "raw:" + expected.get("payload");
        final String retain = expected.containsKey("retain") ? " retain=" + expected.get("retain") : "";
        return expected.get("client") + " " + expected.get("topic") + " " + content + retain;
    }

    private static String describe(final String client, final CollectingOutbound.Message m, final List<Map<String, Object>> expectations)
    {
        final boolean expectJson = expectations.stream().anyMatch(e -> client.equals(e.get("client")) && m.topic().equals(e.get("topic")) && e.containsKey("json"));
        final boolean mentionsRetain = expectations.stream().anyMatch(e -> client.equals(e.get("client")) && m.topic().equals(e.get("topic")) && e.containsKey("retain"));
        final Object content = expectJson ? canonical(Json.parse(m.payload())) : "raw:" + m.payloadText();
        return client + " " + m.topic() + " " + content + (mentionsRetain ? " retain=" + m.retain() : "");
    }

    @SuppressWarnings("unchecked")
    private static Object canonical(final Object json)
    {
        if (json instanceof Map)
        {
            final Map<String, Object> sorted = new java.util.TreeMap<>();
            ((Map<String, Object>)json).forEach((k, v) -> sorted.put(k, canonical(v)));
            return sorted;
        }
        return json;
    }
}
