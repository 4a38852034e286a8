package io.mote.engine.model;

import io.mote.engine.EngineHarness;
import io.mote.engine.topic.Dialect;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retained tree after random sequences of publishes of every kind (PROTOCOL.md §2.1–§2.3),
 * sent through a real engine in the mote dialect with the retain flag as generated, against
 * {@link MoteModel}: a {@code TreeMap} of rows with naive expansion, spreading and replace.
 */
class RetainedModelProperties
{
    private static final String PUBLISHER = "publisher";

    record Scenario(List<Ops.Plain> seed, List<Ops.Publish> publishes)
    {
    }

    @Property(tries = 200)
    void shouldRetainWhatTheModelRetainsWhenPublishesOfEveryKindAreSent(@ForAll("scenarios") final Scenario scenario)
    {
        assertRetainedAsModel(scenario);
    }

    @Property(tries = 100)
    void shouldRetainWhatTheModelRetainsWhenOnlyWildcardPublishesFollowTheSeed(@ForAll("wildcardScenarios") final Scenario scenario)
    {
        assertRetainedAsModel(scenario);
    }

    /**
     * §2.3 "when a key appears twice in one object, the last one wins (as in JavaScript)", for
     * repeats whose values are both leaves (strings, numbers, booleans, null).
     */
    @Property(tries = 100)
    void shouldKeepTheLastLeafWhenATreePublishRepeatsAKey(
        @ForAll("seeds") final List<Ops.Plain> seed,
        @ForAll("repeatedLeafKeys") final Ops.Tree tree)
    {
        assertRetainedAsModel(new Scenario(seed, List.of(tree)));
    }

    /**
     * The same rule when the occurrences write different topics: the rows of every earlier
     * occurrence go, whatever they were, including whole subtrees at a '+' level.
     */
    @Property(tries = 100)
    void shouldKeepOnlyTheLastOccurrenceWhenARepeatedKeyHoldsObjects(
        @ForAll("seeds") final List<Ops.Plain> seed,
        @ForAll("repeatedKeysOfAnyValue") final Ops.Tree tree)
    {
        assertRetainedAsModel(new Scenario(seed, List.of(tree)));
    }

    /** {"k": {"x": "1"}, "k": "2"} to a/: only a/k = 2, no a/k/x = 1 from the earlier object. */
    @Example
    void shouldDropTheRowsOfTheEarlierValueWhenARepeatedKeyHeldAnObjectFirst()
    {
        final Ops.Obj inner = new Ops.Obj(List.of(new Ops.Entry("x", Ops.Leaf.string("1"))));
        final Ops.Obj payload = new Ops.Obj(List.of(new Ops.Entry("k", inner), new Ops.Entry("k", Ops.Leaf.string("2"))));
        assertRetainedAsModel(new Scenario(List.of(), List.of(new Ops.Tree("a", payload, true, 0))));
    }

    /** {"k": "2", "k": {"x": "3"}} to a/: only a/k/x = 3, no a/k = 2 from the earlier leaf. */
    @Example
    void shouldDropTheRowOfTheEarlierValueWhenARepeatedKeyHeldALeafFirst()
    {
        final Ops.Obj inner = new Ops.Obj(List.of(new Ops.Entry("x", Ops.Leaf.string("3"))));
        final Ops.Obj payload = new Ops.Obj(List.of(new Ops.Entry("k", Ops.Leaf.string("2")), new Ops.Entry("k", inner)));
        assertRetainedAsModel(new Scenario(List.of(), List.of(new Ops.Tree("a", payload, true, 0))));
    }

    /** {"k": {"x": "1"}, "k": {"y": "2"}} to a/: only a/k/y = 2. */
    @Example
    void shouldDropTheRowsOfTheEarlierObjectWhenARepeatedKeyHoldsTwoObjects()
    {
        final Ops.Obj first = new Ops.Obj(List.of(new Ops.Entry("x", Ops.Leaf.string("1"))));
        final Ops.Obj second = new Ops.Obj(List.of(new Ops.Entry("y", Ops.Leaf.string("2"))));
        final Ops.Obj payload = new Ops.Obj(List.of(new Ops.Entry("k", first), new Ops.Entry("k", second)));
        assertRetainedAsModel(new Scenario(List.of(), List.of(new Ops.Tree("a", payload, true, 0))));
    }

    private static void assertRetainedAsModel(final Scenario scenario)
    {
        final MoteModel model = new MoteModel();
        try (EngineHarness harness = new EngineHarness())
        {
            harness.connect(PUBLISHER, Dialect.MOTE);
            final List<Ops.Publish> all = new ArrayList<>(scenario.seed());
            all.addAll(scenario.publishes());
            for (final Ops.Publish publish : all)
            {
                final var rows = model.batch(publish);
                if (publish.retain())
                {
                    model.apply(rows, publish.qos());
                }
                assertThat(harness.publish(PUBLISHER, publish.topic(), publish.payloadText(), publish.qos(), publish.retain()))
                    .as("refusal of %s", publish).isNull();
            }
            assertThat(harness.verdictsRejected()).as("publishes the engine refused").isEmpty();
            assertThat(Probes.allRetained(harness)).as("retained rows after %s", all).isEqualTo(model.retained);
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios()
    {
        return Combinators.combine(seeds(), Ops.anyPublish().list().ofMinSize(1).ofMaxSize(10)).as(Scenario::new);
    }

    @Provide
    Arbitrary<Scenario> wildcardScenarios()
    {
        return Combinators.combine(seeds(), Ops.wildcard().list().ofMinSize(1).ofMaxSize(4)).as(Scenario::new);
    }

    @Provide
    Arbitrary<List<Ops.Plain>> seeds()
    {
        final Arbitrary<Ops.Plain> row = Combinators.combine(Ops.plainTopic(), Ops.text(), Ops.qos())
            .as((topic, payload, qos) -> new Ops.Plain(topic, payload, true, qos));
        return row.list().ofMinSize(2).ofMaxSize(10);
    }

    /**
     * A retained tree publish whose top object repeats keys with any values: past the pattern
     * (a, +/c) leaves or objects, at a '+' level (a/+) objects, possibly with replace.
     */
    @Provide
    Arbitrary<Ops.Tree> repeatedKeysOfAnyValue()
    {
        final Arbitrary<String> pattern = Arbitraries.of("a", "a/+", "+/c");
        return pattern.flatMap(p ->
        {
            final Arbitrary<Ops.Value> value = p.equals("a/+")
                ? Ops.usedUp(2).filter(v -> v instanceof Ops.Obj)
                : Ops.usedUp(2);
            final Arbitrary<List<Ops.Entry>> entries = Combinators.combine(Arbitraries.of("a", "b"), value)
                .as(Ops.Entry::new).list().ofMinSize(2).ofMaxSize(4);
            return Combinators.combine(entries, Arbitraries.of(true, false)).as((list, replace) ->
            {
                final List<Ops.Entry> top = new ArrayList<>();
                if (replace)
                {
                    top.add(new Ops.Entry("/", Ops.Leaf.string("+")));
                }
                if (p.startsWith("+"))
                {
                    top.add(new Ops.Entry("b", new Ops.Obj(list)));
                }
                else
                {
                    top.addAll(list);
                }
                return new Ops.Tree(p, new Ops.Obj(top), true, 1);
            });
        });
    }

    /** A retained tree publish whose (top or nested) object repeats a key with leaf values. */
    @Provide
    Arbitrary<Ops.Tree> repeatedLeafKeys()
    {
        final Arbitrary<String> pattern = Arbitraries.of("a", "a/+", "+", "$s/b", "+/c");
        final Arbitrary<Ops.Entry> entry = Combinators.combine(Arbitraries.of("a", "b"), Ops.leaf()).as(Ops.Entry::new);
        final Arbitrary<List<Ops.Entry>> entries = entry.list().ofMinSize(2).ofMaxSize(5);
        return Combinators.combine(pattern, entries, Arbitraries.of(true, false)).as((p, leaves, replace) ->
        {
            final List<Ops.Entry> top = new ArrayList<>();
            if (replace)
            {
                top.add(new Ops.Entry("/", Ops.Leaf.string("+")));
            }
            if (p.contains("+"))
            {
                top.add(new Ops.Entry("b", new Ops.Obj(leaves)));
            }
            else
            {
                top.addAll(leaves);
            }
            return new Ops.Tree(p, new Ops.Obj(top), true, 1);
        });
    }
}
