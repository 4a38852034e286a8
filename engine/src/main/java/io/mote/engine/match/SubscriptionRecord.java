package io.mote.engine.match;

import io.mote.engine.topic.Dialect;

import java.nio.charset.StandardCharsets;

/**
 * One subscription as the matcher registered it. Immutable, so ring events may carry references to
 * it to other threads: a re-subscribe with another QoS makes a new record with the same id.
 */
public final class SubscriptionRecord
{
    private final int id;
    private final long subscriberId;
    private final byte[] filter;
    private final Dialect dialect;
    private final int qos;
    private final int levelCount;
    private final int[] plusLevels;
    private final boolean trailingHash;

    SubscriptionRecord(final int id, final long subscriberId, final byte[] filter, final Dialect dialect, final int qos)
    {
        this.id = id;
        this.subscriberId = subscriberId;
        this.filter = filter;
        this.dialect = dialect;
        this.qos = qos;
        int levels = 0;
        int pluses = 0;
        int levelStart = 0;
        boolean hash = false;
        for (int i = 0; i <= filter.length; i++)
        {
            if (i == filter.length || filter[i] == '/')
            {
                if (i - levelStart == 1 && filter[levelStart] == '+')
                {
                    pluses++;
                }
                hash = i - levelStart == 1 && filter[levelStart] == '#';
                levels++;
                levelStart = i + 1;
            }
        }
        this.levelCount = levels;
        this.trailingHash = hash;
        this.plusLevels = new int[pluses];
        int level = 0;
        int p = 0;
        levelStart = 0;
        for (int i = 0; i <= filter.length; i++)
        {
            if (i == filter.length || filter[i] == '/')
            {
                if (i - levelStart == 1 && filter[levelStart] == '+')
                {
                    plusLevels[p++] = level;
                }
                level++;
                levelStart = i + 1;
            }
        }
    }

    SubscriptionRecord withQos(final int newQos)
    {
        return new SubscriptionRecord(id, subscriberId, filter, dialect, newQos);
    }

    /** Dense id, also the id in the subscription trie; reused after the subscription goes. */
    public int id()
    {
        return id;
    }

    public long subscriberId()
    {
        return subscriberId;
    }

    /** The filter's identity: as subscribed, without any sync marker. Do not modify. */
    public byte[] filter()
    {
        return filter;
    }

    public Dialect dialect()
    {
        return dialect;
    }

    /** Granted QoS. */
    public int qos()
    {
        return qos;
    }

    public boolean isWildcard()
    {
        return plusLevels.length > 0 || trailingHash;
    }

    public int levelCount()
    {
        return levelCount;
    }

    /** Level indexes of the filter's {@code +} levels, ascending: each is one JSON object level. */
    public int plusLevelCount()
    {
        return plusLevels.length;
    }

    public int plusLevel(final int index)
    {
        return plusLevels[index];
    }

    public boolean hasTrailingHash()
    {
        return trailingHash;
    }

    @Override
    public String toString()
    {
        return "Subscription{" + subscriberId + " " + new String(filter, StandardCharsets.UTF_8) + " " + dialect + " qos" + qos + "}";
    }
}
