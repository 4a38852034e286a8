package io.mote.engine.model;

import io.mote.engine.CollectingOutbound;
import io.mote.engine.EngineHarness;
import io.mote.engine.Json;
import io.mote.engine.topic.Dialect;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROTOCOL.md §3.1 round trip: the snapshot S of a wildcard filter F, published back as a retained
 * tree publish to F with a trailing "/#" dropped plus a trailing "/", stores exactly the rows S
 * describes. S itself is checked first against a brute-force model of which rows F matches (mote
 * '#' excludes its base, exact depth without '#', the '$' rule) and of the JSON shape of §3.1.
 */
class RoundTripProperties
{
    private static final String APP = "app";
    private static final String SETUP = "setup";

    @Property(tries = 200)
    void shouldStoreExactlyTheSnapshotsRowsWhenTheSnapshotIsPublishedBackToItsFilter(
        @ForAll("retainedRows") final List<Ops.Plain> rows,
        @ForAll("roundTripFilters") final String filter)
    {
        final MoteModel model = new MoteModel();
        rows.forEach(row -> model.apply(model.batch(row), row.qos()));
        final TreeMap<String, String> matched = model.retainedMatching(filter);
        final String treeTopic = treeTopic(filter);

        final byte[] snapshot;
        try (EngineHarness harness = seeded(rows))
        {
            harness.connect(APP, Dialect.MOTE);
            assertThat(harness.subscribe(APP, "/" + filter, 1).isValid()).isTrue();
            final List<CollectingOutbound.Message> messages = harness.messages();
            assertThat(messages).as("messages after a sync subscription to %s", filter).hasSize(1);
            final CollectingOutbound.Message m = messages.get(0);
            assertThat(m.topic()).isEqualTo(filter);
            assertThat(m.retain()).as("retain flag of the snapshot").isTrue();
            assertThat(m.qos()).isEqualTo(1);
            snapshot = m.payload();
            final Object json = Json.parse(snapshot);
            assertThat(MoteModel.render(json)).as("snapshot JSON of %s", filter)
                .isEqualTo(MoteModel.render(MoteModel.expectedJson(filter, matched)));
            final Map<String, String> described = new TreeMap<>();
            Json.flatten("", json).forEach((keys, value) -> described.put(Probes.topicOf(filter, keys), value));
            assertThat(described).as("rows the snapshot of %s describes", filter).isEqualTo(matched);

            // The same state published back onto itself changes nothing.
            assertThat(harness.publish(SETUP, treeTopic, snapshot, 1, true)).as("refusal of %s", treeTopic).isNull();
            assertThat(harness.verdictsRejected()).isEmpty();
            assertThat(Probes.allRetained(harness)).as("retained after publishing S onto itself").isEqualTo(model.retained);
        }

        // A fresh engine holding everything but the matched rows gets them back from S alone.
        final List<Ops.Plain> rest = rows.stream().filter(row -> !MoteModel.matchesMote(filter, row.topic())).toList();
        try (EngineHarness harness = seeded(rest))
        {
            assertThat(Probes.snapshot(harness, filter)).as("matched rows before the round trip").isEmpty();
            assertThat(harness.publish(SETUP, treeTopic, snapshot, 1, true)).as("refusal of %s", treeTopic).isNull();
            assertThat(harness.verdictsRejected()).isEmpty();
            assertThat(Probes.snapshot(harness, filter)).as("rows %s matches after the round trip", filter).isEqualTo(matched);
            assertThat(Probes.allRetained(harness)).as("every retained row after the round trip").isEqualTo(model.retained);
        }
    }

    /** {@code a/+/b} becomes {@code a/+/b/}, {@code a/#} becomes {@code a/}. */
    static String treeTopic(final String filter)
    {
        return (filter.endsWith("/#") ? filter.substring(0, filter.length() - 2) : filter) + "/";
    }

    private static EngineHarness seeded(final List<Ops.Plain> rows)
    {
        final EngineHarness harness = new EngineHarness();
        harness.connect(SETUP, Dialect.MOTE);
        for (final Ops.Plain row : rows)
        {
            assertThat(harness.publish(SETUP, row.topic(), row.payload(), row.qos(), true)).isNull();
        }
        harness.messages();
        return harness;
    }

    @Provide
    Arbitrary<List<Ops.Plain>> retainedRows()
    {
        final Arbitrary<Ops.Plain> row = Combinators.combine(Ops.plainTopic(), Ops.text(), Ops.qos())
            .as((topic, payload, qos) -> new Ops.Plain(topic, payload, true, qos));
        return row.list().ofMaxSize(14);
    }

    /** Wildcard filters, but not {@code #} alone: its tree topic would have an empty pattern. */
    @Provide
    Arbitrary<String> roundTripFilters()
    {
        return Ops.filter(true).filter(f -> !f.equals("#"));
    }
}
