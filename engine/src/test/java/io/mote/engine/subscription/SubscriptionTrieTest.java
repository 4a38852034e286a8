package io.mote.engine.subscription;

import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.LevelTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.List;

import static io.mote.engine.topic.Dialect.MOTE;
import static io.mote.engine.topic.Dialect.MQTT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionTrieTest
{
    private final TrieFixture fixture = new TrieFixture();

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void shouldMatchExactFilterWhenTopicIsTheSame(final Dialect dialect)
    {
        fixture.add(7, "light/bedroom/is_on", dialect);

        assertThat(fixture.match("light/bedroom/is_on")).containsExactly(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"light", "light/bedroom", "light/bedroom/is_on/x", "light/kitchen/is_on"})
    void shouldNotMatchExactFilterWhenTopicDiffersOrHasAnotherDepth(final String topic)
    {
        fixture.add(1, "light/bedroom/is_on", MOTE);

        assertThat(fixture.match(topic)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"light/bedroom/is_on", "light/kitchen/is_on"})
    void shouldMatchPlusWhenTopicHasAnyLevelInItsPlace(final String topic)
    {
        fixture.add(1, "light/+/is_on", MOTE);

        assertThat(fixture.match(topic)).containsExactly(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"light", "light/is_on", "light/a/b/is_on", "light/a/is_off"})
    void shouldNotMatchPlusWhenTopicDoesNotHaveExactlyOneLevelThere(final String topic)
    {
        fixture.add(1, "light/+/is_on", MOTE);

        assertThat(fixture.match(topic)).isEmpty();
    }

    @Test
    void shouldMatchPlusWhenLevelIsEmptyInMqttDialect()
    {
        fixture.add(1, "a/+/c", MQTT);
        fixture.add(2, "+/b", MQTT);

        assertThat(fixture.match("a//c")).containsExactly(1);
        assertThat(fixture.match("/b")).containsExactly(2);
    }

    @Test
    void shouldMatchEmptyLevelsLiterallyWhenMqttFilterHasThem()
    {
        fixture.add(1, "a//c", MQTT);
        fixture.add(2, "/a", MQTT);
        fixture.add(3, "a/", MQTT);

        assertThat(fixture.match("a//c")).containsExactly(1);
        assertThat(fixture.match("/a")).containsExactly(2);
        assertThat(fixture.match("a/")).containsExactly(3);
        assertThat(fixture.match("a/c")).isEmpty();
        assertThat(fixture.match("a")).isEmpty();
    }

    @Test
    void shouldMatchOnlyWildcardsWhenLevelIsUnknownToLevelTable()
    {
        fixture.add(1, "sensor/+", MOTE);
        fixture.add(2, "sensor/#", MOTE);
        fixture.add(3, "sensor/known", MOTE);

        final int[] topic = fixture.levelIds("sensor/never-seen");

        assertThat(topic[1]).isEqualTo(LevelTable.NO_LEVEL);
        assertThat(fixture.match("sensor/never-seen")).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void shouldMatchHashAtItsParentLevelWhenDialectIsMqtt()
    {
        fixture.add(1, "a/#", MQTT);

        assertThat(fixture.match("a")).containsExactly(1);
    }

    @Test
    void shouldNotMatchHashAtItsParentLevelWhenDialectIsMote()
    {
        fixture.add(1, "a/#", MOTE);

        assertThat(fixture.match("a")).isEmpty();
    }

    @Test
    void shouldTellDialectsApartWhenSameHashFilterIsInBoth()
    {
        fixture.add(1, "a/b/#", MOTE);
        fixture.add(2, "a/b/#", MQTT);

        assertThat(fixture.match("a/b")).containsExactly(2);
        assertThat(fixture.match("a/b/c")).containsExactlyInAnyOrder(1, 2);
    }

    @ParameterizedTest
    @CsvSource({"MOTE, a/b", "MOTE, a/b/c/d", "MQTT, a/b", "MQTT, a/b/c/d"})
    void shouldMatchHashWhenTopicIsStrictlyBelowItsParent(final Dialect dialect, final String topic)
    {
        fixture.add(1, "a/#", dialect);

        assertThat(fixture.match(topic)).containsExactly(1);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void shouldNotMatchHashWhenTopicLeavesItsParent(final Dialect dialect)
    {
        fixture.add(1, "a/b/#", dialect);

        assertThat(fixture.match("a")).isEmpty();
        assertThat(fixture.match("a/c")).isEmpty();
        assertThat(fixture.match("b/a/b")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"MOTE, a", "MOTE, a/b/c", "MQTT, a", "MQTT, a/b/c", "MQTT, /", "MQTT, ''"})
    void shouldMatchEveryTopicWhenFilterIsHashAlone(final Dialect dialect, final String topic)
    {
        fixture.add(1, "#", dialect);

        assertThat(fixture.match(topic)).containsExactly(1);
    }

    @ParameterizedTest
    @CsvSource({"MOTE, #", "MQTT, #", "MOTE, +", "MQTT, +/x", "MQTT, +/#", "MOTE, +/+"})
    void shouldNotMatchDollarTopicWhenFilterStartsWithWildcard(final Dialect dialect, final String filter)
    {
        fixture.add(1, filter, dialect);

        assertThat(fixture.match("$SYS")).isEmpty();
        assertThat(fixture.match("$SYS/x")).isEmpty();
        assertThat(fixture.match("$SYS/x/y")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"MOTE, $SYS/#, $SYS/x", "MQTT, $SYS/#, $SYS", "MQTT, $SYS/+, $SYS/x", "MOTE, $SYS/x, $SYS/x"})
    void shouldMatchDollarTopicWhenFilterStartsWithExactLevel(final Dialect dialect, final String filter, final String topic)
    {
        fixture.add(1, filter, dialect);

        assertThat(fixture.match(topic)).containsExactly(1);
    }

    @Test
    void shouldMatchWildcardFirstLevelWhenDollarIsNotInFirstLevel()
    {
        fixture.add(1, "+/$x", MOTE);
        fixture.add(2, "#", MOTE);

        assertThat(fixture.match("a/$x")).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void shouldReportEachSubscriptionOnceWhenManyFiltersMatch()
    {
        final String[] filters = {"#", "a/#", "a/b/#", "+/+/+", "a/+/c", "+/b/c", "a/b/c", "+/#", "a/b/c/#"};
        for (int id = 0; id < filters.length; id++)
        {
            fixture.add(id, filters[id], MQTT);
        }
        fixture.add(filters.length, "a/b/c", MOTE);

        final List<Integer> matched = fixture.match("a/b/c");

        assertThat(matched).hasSize(filters.length + 1);
        assertThat(new HashSet<>(matched)).hasSize(filters.length + 1);
    }

    @Test
    void shouldStopMatchingSubscriptionWhenRemoved()
    {
        fixture.add(1, "a/+", MOTE);
        fixture.add(2, "a/+", MOTE);
        fixture.add(3, "a/+", MOTE);

        fixture.trie.remove(2);

        assertThat(fixture.match("a/b")).containsExactlyInAnyOrder(1, 3);
        assertThat(fixture.trie.subscriptionCount()).isEqualTo(2);
    }

    @Test
    void shouldRejectIdWhenAlreadyInTrie()
    {
        fixture.add(1, "a", MOTE);

        assertThatThrownBy(() -> fixture.add(1, "b", MOTE)).isInstanceOf(IllegalStateException.class);
        assertThat(fixture.trie.nodeCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 100_000, -1})
    void shouldRejectRemoveWhenIdIsUnknown(final int id)
    {
        fixture.add(5, "a", MOTE);
        fixture.trie.remove(5);

        assertThatThrownBy(() -> fixture.trie.remove(id)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldReleaseEveryLevelAndNodeWhenAllSubscriptionsRemoved()
    {
        fixture.add(0, "a/b/c", MOTE);
        fixture.add(1, "a/+/c", MOTE);
        fixture.add(2, "a/b/#", MQTT);
        fixture.add(3, "x/y", MQTT);
        fixture.add(4, "a/b/c", MQTT);

        for (final int id : new int[] {2, 0, 4, 3, 1})
        {
            fixture.trie.remove(id);
        }

        assertThat(fixture.levels.size()).isZero();
        assertThat(fixture.trie.nodeCount()).isEqualTo(1);
        assertThat(fixture.trie.subscriptionCount()).isZero();
    }

    @Test
    void shouldKeepSharedBranchWhenAnotherSubscriptionStillUsesIt()
    {
        fixture.add(0, "a/b/c", MOTE);
        fixture.add(1, "a/b/d", MOTE);

        fixture.trie.remove(0);

        assertThat(fixture.trie.nodeCount()).isEqualTo(4);
        assertThat(fixture.levels.size()).isEqualTo(3);
        assertThat(fixture.match("a/b/d")).containsExactly(1);
    }

    @Test
    void shouldHoldOneLevelReferencePerExactEdgeWhenLevelsRepeat()
    {
        fixture.add(0, "a/a/+/a", MOTE);
        final int a = fixture.levelIds("a")[0];

        assertThat(fixture.levels.references(a)).isEqualTo(3);
        fixture.add(1, "a/a", MOTE);
        assertThat(fixture.levels.references(a)).isEqualTo(3);
    }

    @Test
    void shouldReuseSubscriptionIdWhenRemovedAndAddedAgain()
    {
        fixture.add(0, "a/b", MOTE);
        fixture.trie.remove(0);

        fixture.add(0, "c/#", MQTT);

        assertThat(fixture.match("c")).containsExactly(0);
        assertThat(fixture.match("a/b")).isEmpty();
        assertThat(fixture.trie.nodeCount()).isEqualTo(3);
    }

    @Test
    void shouldMatchWhenFilterAndTopicAreDeeperThanAThreadStackAllows()
    {
        final int depth = 30_000;
        fixture.add(1, "+/".repeat(depth - 1) + "+", MQTT);

        assertThat(fixture.match("a/".repeat(depth - 1) + "a")).containsExactly(1);
    }
}
