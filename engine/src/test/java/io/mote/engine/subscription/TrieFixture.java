package io.mote.engine.subscription;

import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.LevelTable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A trie with its level table, driven by strings: topics are split and looked up the way the
 * matching stage does, so tests read like the protocol text.
 */
final class TrieFixture
{
    final LevelTable levels = new LevelTable();
    final SubscriptionTrie trie = new SubscriptionTrie(levels);

    void add(final int id, final String filter, final Dialect dialect)
    {
        final byte[] bytes = filter.getBytes(StandardCharsets.UTF_8);
        trie.add(id, bytes, 0, bytes.length, dialect);
    }

    /** Ids of the matching subscriptions in reporting order, duplicates kept so tests can see them. */
    List<Integer> match(final String topic)
    {
        final List<Integer> ids = new ArrayList<>();
        final int[] topicLevels = levelIds(topic);
        final int count = trie.match(topicLevels, topicLevels.length, topic.startsWith("$"), ids::add);
        if (count != ids.size())
        {
            throw new AssertionError("match returned " + count + " but reported " + ids.size());
        }
        return ids;
    }

    int[] levelIds(final String topic)
    {
        final String[] parts = topic.split("/", -1);
        final int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            final byte[] bytes = parts[i].getBytes(StandardCharsets.UTF_8);
            ids[i] = levels.find(bytes, 0, bytes.length);
        }
        return ids;
    }
}
