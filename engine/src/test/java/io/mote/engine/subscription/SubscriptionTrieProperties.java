package io.mote.engine.subscription;

import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.TopicSyntax;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trie against a brute-force matcher written straight from MQTT 3.1.1 §4.7 and PROTOCOL.md §3.1,
 * over small level alphabets so that filters share prefixes and collide. jqwik prints the seed of
 * every run, so a failure replays with {@code @Property(seed = ...)}.
 */
class SubscriptionTrieProperties
{
    /** "zz" never occurs in a filter, so it always reaches the trie as an unknown level. */
    private static final String[] TOPIC_LEVELS = {"a", "b", "$s", "", "zz"};

    @Property(tries = 300)
    void shouldMatchLikeBruteForceWhenSubscriptionsComeAndGo(@ForAll("operations") final List<Operation> operations)
    {
        final TrieFixture fixture = new TrieFixture();
        final TreeMap<Integer, Subscription> live = new TreeMap<>();
        for (final Operation operation : operations)
        {
            if (operation instanceof Subscription subscription)
            {
                final int id = lowestFreeId(live);
                fixture.add(id, subscription.filter(), subscription.dialect());
                live.put(id, subscription);
            }
            else if (operation instanceof Unsubscribe unsubscribe && !live.isEmpty())
            {
                final int id = new ArrayList<>(live.keySet()).get(unsubscribe.pick() % live.size());
                fixture.trie.remove(id);
                live.remove(id);
            }
            else if (operation instanceof Publish publish)
            {
                assertSameMatches(fixture, live, publish.topic());
            }
            assertThat(fixture.trie.subscriptionCount()).isEqualTo(live.size());
        }

        for (final int id : live.keySet())
        {
            fixture.trie.remove(id);
        }
        assertThat(fixture.levels.size()).isZero();
        assertThat(fixture.trie.nodeCount()).isEqualTo(1);
    }

    @Property(tries = 200)
    void shouldMatchLikeBruteForceWhenManyFiltersOverlap(
        @ForAll("subscriptions") final List<Subscription> subscriptions, @ForAll("topics") final List<String> topics)
    {
        final TrieFixture fixture = new TrieFixture();
        final TreeMap<Integer, Subscription> live = new TreeMap<>();
        for (int id = 0; id < subscriptions.size(); id++)
        {
            fixture.add(id, subscriptions.get(id).filter(), subscriptions.get(id).dialect());
            live.put(id, subscriptions.get(id));
        }
        for (final String topic : topics)
        {
            assertSameMatches(fixture, live, topic);
        }
    }

    @Provide
    Arbitrary<List<Operation>> operations()
    {
        final Arbitrary<Operation> unsubscribe = Arbitraries.integers().between(0, 1000).map(Unsubscribe::new);
        final Arbitrary<Operation> publish = topic().map(Publish::new);
        return Arbitraries.frequencyOf(
            Tuple.of(4, subscription().map(s -> (Operation)s)),
            Tuple.of(2, unsubscribe),
            Tuple.of(4, publish)).list().ofMaxSize(80);
    }

    @Provide
    Arbitrary<List<Subscription>> subscriptions()
    {
        return subscription().list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<String>> topics()
    {
        return topic().list().ofMinSize(1).ofMaxSize(30);
    }

    private static Arbitrary<Subscription> subscription()
    {
        return Arbitraries.of(Dialect.class).flatMap(dialect ->
        {
            final Arbitrary<String> level = dialect == Dialect.MQTT ?
                Arbitraries.of("a", "b", "$s", "+", "") : Arbitraries.of("a", "b", "$s", "+");
            return Combinators.combine(level.list().ofMaxSize(4), Arbitraries.of(true, false))
                .as((levels, hash) -> joinFilter(levels, hash))
                .filter(filter -> isValidFilter(filter, dialect))
                .map(filter -> new Subscription(filter, dialect));
        });
    }

    private static Arbitrary<String> topic()
    {
        return Arbitraries.of(TOPIC_LEVELS).list().ofMinSize(1).ofMaxSize(5).map(levels -> String.join("/", levels));
    }

    private static String joinFilter(final List<String> levels, final boolean hash)
    {
        final List<String> all = new ArrayList<>(levels);
        if (hash)
        {
            all.add("#");
        }
        return String.join("/", all);
    }

    private static boolean isValidFilter(final String filter, final Dialect dialect)
    {
        final byte[] bytes = filter.getBytes(StandardCharsets.UTF_8);
        return TopicSyntax.classifyFilter(bytes, 0, bytes.length, dialect).isValid();
    }

    private static void assertSameMatches(final TrieFixture fixture, final TreeMap<Integer, Subscription> live, final String topic)
    {
        final List<Integer> expected = new ArrayList<>();
        live.forEach((id, subscription) ->
        {
            if (BruteForce.matches(subscription.filter(), subscription.dialect(), topic))
            {
                expected.add(id);
            }
        });
        final List<Integer> actual = fixture.match(topic);
        Collections.sort(actual);

        assertThat(actual).as("topic '%s' against %s", topic, live).isEqualTo(expected);
    }

    private static int lowestFreeId(final TreeMap<Integer, Subscription> live)
    {
        int id = 0;
        while (live.containsKey(id))
        {
            id++;
        }
        return id;
    }

    sealed interface Operation permits Subscription, Unsubscribe, Publish
    {
    }

    record Subscription(String filter, Dialect dialect) implements Operation
    {
    }

    record Unsubscribe(int pick) implements Operation
    {
    }

    record Publish(String topic) implements Operation
    {
    }

    /** The plain reading of the matching rules: split both, compare level by level. */
    static final class BruteForce
    {
        static boolean matches(final String filter, final Dialect dialect, final String topic)
        {
            final String[] f = filter.split("/", -1);
            final String[] t = topic.split("/", -1);
            if (t[0].startsWith("$") && (f[0].equals("+") || f[0].equals("#")))
            {
                return false;
            }
            for (int i = 0; i < f.length; i++)
            {
                if (f[i].equals("#"))
                {
                    return dialect == Dialect.MQTT ? t.length >= i : t.length > i;
                }
                if (i >= t.length)
                {
                    return false;
                }
                if (!f[i].equals("+") && !f[i].equals(t[i]))
                {
                    return false;
                }
            }
            return f.length == t.length;
        }
    }
}
