package io.mote.engine.topic;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LevelTableTest
{
    private final LevelTable table = new LevelTable(16);

    @Test
    void shouldReturnSameIdForSameLevel()
    {
        final int id = acquire("kitchen");
        assertThat(acquire("kitchen")).isEqualTo(id);
        assertThat(table.references(id)).isEqualTo(2);
        assertThat(find("kitchen")).isEqualTo(id);
    }

    @Test
    void shouldNotInternOnFind()
    {
        assertThat(find("never-seen")).isEqualTo(LevelTable.NO_LEVEL);
        assertThat(table.size()).isZero();
    }

    @Test
    void shouldReleaseLevelWhenLastReferenceGoes()
    {
        final int id = acquire("device-42");
        table.acquire(id);
        table.release(id);
        assertThat(find("device-42")).isEqualTo(id);
        table.release(id);
        assertThat(find("device-42")).isEqualTo(LevelTable.NO_LEVEL);
        assertThat(table.size()).isZero();
    }

    @Test
    void shouldReuseReleasedIds()
    {
        final int id = acquire("a");
        table.release(id);
        assertThat(acquire("b")).isEqualTo(id);
    }

    @Test
    void shouldInternEmptyLevel()
    {
        final int id = acquire("");
        assertThat(find("")).isEqualTo(id);
        assertThat(table.bytes(id)).isEmpty();
    }

    @Test
    void shouldRefuseReleasingMoreThanAcquired()
    {
        final int id = acquire("x");
        table.release(id);
        assertThatThrownBy(() -> table.release(id)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldKnowDollarLevels()
    {
        assertThat(table.isDollar(acquire("$SYS"))).isTrue();
        assertThat(table.isDollar(acquire("SYS"))).isFalse();
    }

    /** Churn of many levels must keep every live level findable and the table's size exact. */
    @Property(tries = 200)
    void shouldMatchAReferenceCountingModelUnderChurn(
        @ForAll @Size(max = 400) final List<@IntRange(min = 0, max = 60) Integer> operations)
    {
        final LevelTable levels = new LevelTable(16);
        final Map<String, Integer> model = new HashMap<>();
        final Map<String, Integer> ids = new HashMap<>();
        for (final int op : operations)
        {
            final String level = "l" + (op % 30);
            final byte[] bytes = level.getBytes(StandardCharsets.UTF_8);
            if (op < 30 || !model.containsKey(level))
            {
                ids.put(level, levels.acquire(bytes, 0, bytes.length));
                model.merge(level, 1, Integer::sum);
            }
            else
            {
                levels.release(ids.get(level));
                if (model.merge(level, -1, Integer::sum) == 0)
                {
                    model.remove(level);
                }
            }
            assertThat(levels.size()).isEqualTo(model.size());
        }
        for (int i = 0; i < 30; i++)
        {
            final String level = "l" + i;
            final byte[] bytes = level.getBytes(StandardCharsets.UTF_8);
            final int found = levels.find(bytes, 0, bytes.length);
            if (model.containsKey(level))
            {
                assertThat(found).isEqualTo(ids.get(level));
                assertThat(levels.references(found)).isEqualTo(model.get(level));
            }
            else
            {
                assertThat(found).isEqualTo(LevelTable.NO_LEVEL);
            }
        }
    }

    private int acquire(final String level)
    {
        final byte[] bytes = level.getBytes(StandardCharsets.UTF_8);
        return table.acquire(bytes, 0, bytes.length);
    }

    private int find(final String level)
    {
        final byte[] bytes = level.getBytes(StandardCharsets.UTF_8);
        return table.find(bytes, 0, bytes.length);
    }
}
