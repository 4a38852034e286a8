package io.mote.engine.collections;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChildIndexTest
{
    @Test
    void shouldReturnMissingForUnknownChild()
    {
        assertThat(new ChildIndex(16).get(1, 2)).isEqualTo(ChildIndex.MISSING);
    }

    @Test
    void shouldReplaceChildOfSameParentAndLevel()
    {
        final ChildIndex index = new ChildIndex(16);
        index.put(1, 2, 3);
        index.put(1, 2, 4);
        assertThat(index.get(1, 2)).isEqualTo(4);
        assertThat(index.size()).isEqualTo(1);
    }

    /** Puts and removes with colliding keys must behave like a map; removal must not break probe chains. */
    @Property(tries = 300)
    void shouldBehaveLikeAMap(@ForAll @Size(max = 500) final List<@IntRange(min = 0, max = 199) Integer> operations)
    {
        final ChildIndex index = new ChildIndex(16);
        final Map<Long, Integer> model = new HashMap<>();
        int value = 0;
        for (final int op : operations)
        {
            final int parent = op % 10;
            final int level = (op / 10) % 10;
            final long key = ((long)parent << 32) | level;
            if (op < 120)
            {
                index.put(parent, level, value);
                model.put(key, value);
                value++;
            }
            else
            {
                final Integer expected = model.remove(key);
                assertThat(index.remove(parent, level)).isEqualTo(expected == null ? ChildIndex.MISSING : expected);
            }
            assertThat(index.size()).isEqualTo(model.size());
        }
        for (int parent = 0; parent < 10; parent++)
        {
            for (int level = 0; level < 10; level++)
            {
                final Integer expected = model.get(((long)parent << 32) | level);
                assertThat(index.get(parent, level)).isEqualTo(expected == null ? ChildIndex.MISSING : expected);
            }
        }
    }

    /** The auxiliary int travels with its entry when removals shift entries back and growth rehashes them. */
    @Property(tries = 300)
    void shouldKeepEachEntrysAuxThroughRemovalsAndGrowth(@ForAll @Size(max = 500) final List<@IntRange(min = 0, max = 299) Integer> operations)
    {
        final ChildIndex index = new ChildIndex(16);
        final Map<Long, int[]> model = new HashMap<>();
        int value = 0;
        for (final int op : operations)
        {
            final int parent = op % 10;
            final int level = (op / 10) % 10;
            final long key = ((long)parent << 32) | level;
            if (op < 120)
            {
                final int aux = -value * 7919;
                index.put(parent, level, value, aux);
                model.put(key, new int[] {value, aux});
                value++;
            }
            else if (op < 200)
            {
                final int aux = value++;
                assertThat(index.setAux(parent, level, aux)).isEqualTo(model.containsKey(key));
                model.computeIfPresent(key, (k, entry) -> new int[] {entry[0], aux});
            }
            else
            {
                model.remove(key);
                index.remove(parent, level);
            }
        }
        for (int parent = 0; parent < 10; parent++)
        {
            for (int level = 0; level < 10; level++)
            {
                final int[] expected = model.get(((long)parent << 32) | level);
                assertThat(index.get(parent, level)).isEqualTo(expected == null ? ChildIndex.MISSING : expected[0]);
                assertThat(index.aux(parent, level, Integer.MIN_VALUE)).isEqualTo(expected == null ? Integer.MIN_VALUE : expected[1]);
            }
        }
    }
}
