package io.mote.engine.subscription;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.mote.engine.topic.Dialect.MOTE;
import static io.mote.engine.topic.Dialect.MQTT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that {@link SubscriptionTrie#match} allocates nothing by counting the bytes this thread
 * allocates, which is exact and deterministic, unlike a timing.
 */
class SubscriptionTrieAllocationTest
{
    private static final int WARM_UP_MATCHES = 20_000;
    private static final int MEASURED_MATCHES = 10_000;

    private long matchedIds;

    @Test
    void shouldAllocateNothingWhenMatching()
    {
        final TrieFixture fixture = new TrieFixture();
        int id = 0;
        for (int site = 0; site < 20; site++)
        {
            fixture.add(id++, "site" + site + "/device/d" + site + "/temp", MOTE);
            fixture.add(id++, "site" + site + "/+/+/temp", MQTT);
            fixture.add(id++, "site" + site + "/#", site % 2 == 0 ? MOTE : MQTT);
        }
        fixture.add(id++, "#", MQTT);
        fixture.add(id, "$SYS/#", MQTT);
        final String[] topicTexts = {"site3/device/d3/temp", "site4/device/unknown/temp", "site5", "$SYS/load", "other/x"};
        final int[][] topics = new int[topicTexts.length][];
        final boolean[] dollar = new boolean[topicTexts.length];
        for (int i = 0; i < topicTexts.length; i++)
        {
            topics[i] = fixture.levelIds(topicTexts[i]);
            dollar[i] = topicTexts[i].startsWith("$");
        }
        final MatchConsumer consumer = subscriptionId -> matchedIds += subscriptionId;
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);

        runMatches(fixture.trie, topics, dollar, consumer, WARM_UP_MATCHES);
        final long before = threads.getCurrentThreadAllocatedBytes();
        final int matches = runMatches(fixture.trie, topics, dollar, consumer, MEASURED_MATCHES);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(matches).isPositive();
        assertThat(allocated).isZero();
    }

    private static int runMatches(
        final SubscriptionTrie trie, final int[][] topics, final boolean[] dollar, final MatchConsumer consumer, final int count)
    {
        int matches = 0;
        for (int i = 0; i < count; i++)
        {
            final int t = i % topics.length;
            matches += trie.match(topics[t], topics[t].length, dollar[t], consumer);
        }
        return matches;
    }
}
