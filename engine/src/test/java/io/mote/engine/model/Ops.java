package io.mote.engine.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the model properties send, and jqwik arbitraries for it. Topics use a tiny alphabet of
 * levels (with a '$' level) and depths 1–4, so that expansions, filters and replaces collide with
 * what is retained. Tree payloads are generated as values and rendered to JSON, so the model reads
 * the structure while the engine reads the text.
 */
final class Ops
{
    static final List<String> LEVELS = List.of("a", "b", "c", "$s");
    /** Payload texts, including JSON specials that must survive escaping; "" deletes. */
    static final List<String> TEXTS = List.of("", "1", "2", "xy", "55", "null", "q\"t", "back\\slash", "tab\there", "é", "a/b", "+", "#", "{}");
    static final List<String> LITERALS = List.of("55", "1.50", "-0", "1e3", "-2.5E-3", "0", "true", "false");

    private Ops()
    {
    }

    /** A PUBLISH of any kind. */
    sealed interface Publish permits Plain, Wildcard, Tree
    {
        String topic();

        String payloadText();

        boolean retain();

        int qos();
    }

    record Plain(String topic, String payload, boolean retain, int qos) implements Publish
    {
        public String payloadText()
        {
            return payload;
        }
    }

    record Wildcard(String topic, String payload, boolean retain, int qos) implements Publish
    {
        public String payloadText()
        {
            return payload;
        }
    }

    record Tree(String pattern, Obj payload, boolean retain, int qos) implements Publish
    {
        public String topic()
        {
            return pattern + "/";
        }

        public String payloadText()
        {
            return payload.json();
        }
    }

    /** A JSON value of a tree publish. */
    sealed interface Value permits Leaf, Obj
    {
        String json();
    }

    /** A string (quoted), a number or boolean (source text), or null; payload null means delete. */
    record Leaf(String json, String payload) implements Value
    {
        static Leaf string(final String text)
        {
            return new Leaf(quote(text), text.isEmpty() ? null : text);
        }
    }

    record Entry(String key, Value value)
    {
    }

    /** An object; its entries may repeat a key. */
    record Obj(List<Entry> entries) implements Value
    {
        public String json()
        {
            return entries.stream().map(e -> quote(e.key()) + ":" + e.value().json()).collect(Collectors.joining(",", "{", "}"));
        }

        boolean replace()
        {
            return entries.stream().anyMatch(e -> e.key().equals("/"));
        }
    }

    static String quote(final String text)
    {
        final StringBuilder sb = new StringBuilder("\"");
        for (final char c : text.toCharArray())
        {
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int)c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }

    // Arbitraries -------------------------------------------------------------------------------

    static Arbitrary<String> level()
    {
        return Arbitraries.of(LEVELS);
    }

    static Arbitrary<String> plainTopic()
    {
        return level().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
    }

    /** A non-empty payload text. */
    static Arbitrary<String> text()
    {
        return Arbitraries.of(TEXTS).filter(t -> !t.isEmpty());
    }

    /** A payload text, empty (a delete) one time in four. */
    static Arbitrary<String> payload()
    {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")), Tuple.of(3, text()));
    }

    static Arbitrary<Integer> qos()
    {
        return Arbitraries.integers().between(0, 2);
    }

    /**
     * A filter (or wildcard publish topic) of 1–4 levels: static levels and '+', optionally a
     * trailing '#'. With {@code wildcard} it holds at least one wildcard, without it none.
     */
    static Arbitrary<String> filter(final boolean wildcard)
    {
        if (!wildcard)
        {
            return plainTopic();
        }
        final Arbitrary<String> withPlus = Arbitraries.frequencyOf(
            Tuple.of(3, level()), Tuple.of(2, Arbitraries.just("+")));
        return Combinators.combine(withPlus.list().ofMinSize(0).ofMaxSize(3), Arbitraries.of(true, false))
            .as((levels, hash) ->
            {
                final List<String> all = new ArrayList<>(levels);
                if (hash || all.isEmpty())
                {
                    all.add("#");
                }
                return String.join("/", all);
            })
            .filter(f -> f.contains("+") || f.contains("#"));
    }

    static Arbitrary<Publish> plain()
    {
        return Combinators.combine(plainTopic(), payload(), retainMostly(), qos()).as(Plain::new);
    }

    static Arbitrary<Publish> wildcard()
    {
        return Combinators.combine(filter(true), payload(), retainMostly(), qos()).as(Wildcard::new);
    }

    /** A valid tree publish: pattern of 1–3 levels (static or '+'), replace only with retain. */
    static Arbitrary<Publish> tree()
    {
        final Arbitrary<String> patternLevel = Arbitraries.frequencyOf(
            Tuple.of(3, level()), Tuple.of(2, Arbitraries.just("+")));
        return Combinators.combine(patternLevel.list().ofMinSize(1).ofMaxSize(3), retainMostly(), qos(), Arbitraries.integers().between(0, 3))
            .flatAs((levels, retain, qos, replaceAt) ->
            {
                final int plus = (int)levels.stream().filter("+"::equals).count();
                final boolean replace = retain && replaceAt < 2;
                return topObject(plus, replace, replaceAt).map(obj -> new Tree(String.join("/", levels), obj, retain, qos));
            });
    }

    static Arbitrary<Boolean> retainMostly()
    {
        return Arbitraries.frequency(Tuple.of(3, true), Tuple.of(1, false));
    }

    static Arbitrary<Leaf> leaf()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(6, payload().map(Leaf::string)),
            Tuple.of(2, Arbitraries.of(LITERALS).map(t -> new Leaf(t, t))),
            Tuple.of(1, Arbitraries.just(new Leaf("null", null))));
    }

    /** The payload: a '+' level's keys first if the pattern has any, then data; maybe the directive. */
    private static Arbitrary<Obj> topObject(final int plus, final boolean replace, final int replaceAt)
    {
        final Arbitrary<Obj> data = plus > 0 ? wildcardLevel(plus) : dataObject(2, false);
        return data.map(obj ->
        {
            if (!replace)
            {
                return obj;
            }
            final List<Entry> entries = new ArrayList<>(obj.entries());
            entries.add(Math.min(replaceAt, entries.size()), new Entry("/", Leaf.string("+")));
            return new Obj(entries);
        });
    }

    /** An object at a '+' level: keys are levels, values objects while another '+' follows. */
    private static Arbitrary<Obj> wildcardLevel(final int plus)
    {
        final Arbitrary<? extends Value> value = plus > 1 ? wildcardLevel(plus - 1) : usedUp(2);
        return entries(value, false);
    }

    /** A value once the pattern is used up: a leaf, or an object that may hold its own value. */
    static Arbitrary<Value> usedUp(final int depth)
    {
        if (depth == 0)
        {
            return leaf().map(l -> l);
        }
        return Arbitraries.frequencyOf(
            Tuple.of(3, leaf().map(l -> (Value)l)),
            Tuple.of(2, Arbitraries.lazy(() -> dataObject(depth - 1, true)).map(o -> (Value)o)));
    }

    private static Arbitrary<Obj> dataObject(final int depth, final boolean ownValue)
    {
        return entries(usedUp(depth), ownValue);
    }

    /**
     * 0–3 entries with keys from the level alphabet and distinct keys; an own value under "/" when
     * allowed. Repeated keys are exercised apart, in {@code RetainedModelProperties}.
     */
    private static Arbitrary<Obj> entries(final Arbitrary<? extends Value> values, final boolean ownValue)
    {
        final Arbitrary<Entry> entry = Combinators.combine(level(), values).as(Entry::new);
        final Arbitrary<List<Entry>> list = entry.list().ofMaxSize(3).uniqueElements(Entry::key);
        if (!ownValue)
        {
            return list.map(Obj::new);
        }
        return Combinators.combine(list, leaf().optional(), Arbitraries.integers().between(0, 3)).as((l, own, at) ->
        {
            final List<Entry> all = new ArrayList<>(l);
            own.ifPresent(v -> all.add(Math.min(at, all.size()), new Entry("/", v)));
            return new Obj(all);
        });
    }

    static Arbitrary<Publish> anyPublish()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(4, plain()),
            Tuple.of(3, wildcard()),
            Tuple.of(3, tree()));
    }
}
