package io.mote.engine.retained;

import io.mote.engine.topic.LevelTable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tree against a {@code TreeMap} of topic to payload. Topics are drawn from a small pool built
 * from a tiny level alphabet (with the empty level) so that prefixes collide and deletes hit live
 * rows; payloads include the empty one (a delete) and same-length overwrites. jqwik prints the seed
 * of a failing run.
 */
class RetainedTreeProperties
{
    private static final String[] LEVELS = {"a", "b", "", "cc"};
    private static final String[] PAYLOADS = {"", "1", "2", "xy", "zz", "long payload"};
    /** Enough siblings under one parent to cross any small scan limit in both directions. */
    private static final String[] WIDE_LEVELS = {"a", "b", "c", "d", "e", "f", "g", "h", "i", ""};

    enum Kind
    {
        SET, DELETE_BY_TOPIC, DELETE_BY_NODE
    }

    record Op(Kind kind, String topic, String payload)
    {
    }

    @Property(tries = 500)
    void shouldMatchTreeMapModelWhenRowsAreSetAndDeleted(@ForAll("operations") final List<Op> operations)
    {
        assertMatchesModel(new RetainedTree(new LevelTable(16)), operations);
    }

    /**
     * Parents gain and lose up to ten children under scan limits from 1 to 4, so children move into
     * the child index, stay there while their count falls, and leave it with the last one; freed ids
     * come back as new nodes of either kind.
     */
    @Property(tries = 500)
    void shouldMatchTreeMapModelWhenParentsCrossTheScanLimitBothWays(
        @ForAll("wideOperations") final List<Op> operations, @ForAll @IntRange(min = 1, max = 4) final int scanLimit)
    {
        assertMatchesModel(new RetainedTree(new LevelTable(16), scanLimit), operations);
    }

    private static void assertMatchesModel(final RetainedTree tree, final List<Op> operations)
    {
        final LevelTable levels = tree.levels();
        final TreeMap<String, String> model = new TreeMap<>();

        for (final Op op : operations)
        {
            final byte[] topic = bytes(op.topic());
            final boolean present = model.containsKey(op.topic());
            switch (op.kind())
            {
                case SET ->
                {
                    final byte[] payload = bytes(op.payload());
                    final int node = tree.set(topic, 0, topic.length, payload, 0, payload.length);
                    if (op.payload().isEmpty())
                    {
                        model.remove(op.topic());
                        assertThat(node).isEqualTo(RetainedTree.NO_NODE);
                    }
                    else
                    {
                        model.put(op.topic(), op.payload());
                        assertThat(node).isEqualTo(tree.find(topic, 0, topic.length));
                    }
                }
                case DELETE_BY_TOPIC ->
                {
                    assertThat(tree.delete(topic, 0, topic.length)).isEqualTo(present);
                    model.remove(op.topic());
                }
                case DELETE_BY_NODE ->
                {
                    final int node = tree.find(topic, 0, topic.length);
                    if (node != RetainedTree.NO_NODE)
                    {
                        assertThat(tree.delete(node)).isEqualTo(present);
                    }
                    model.remove(op.topic());
                }
            }
            assertThat(tree.rowCount()).isEqualTo(model.size());
        }

        assertThat(rows(tree, levels)).isEqualTo(model);
        for (final Op op : operations)
        {
            final byte[] topic = bytes(op.topic());
            final int node = tree.find(topic, 0, topic.length);
            final String value = model.get(op.topic());
            assertThat(node == RetainedTree.NO_NODE ? null : tree.copyValue(node)).isEqualTo(value == null ? null : bytes(value));
        }
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        return operations(LEVELS, 5, 12, 120);
    }

    @Provide
    Arbitrary<List<Op>> wideOperations()
    {
        return operations(WIDE_LEVELS, 3, 40, 250);
    }

    private static Arbitrary<List<Op>> operations(final String[] alphabet, final int maxDepth, final int poolSize, final int maxOperations)
    {
        final Arbitrary<String> topic = Arbitraries.of(alphabet).list().ofMinSize(1).ofMaxSize(maxDepth)
            .map(levels -> String.join("/", levels));
        return topic.list().ofMinSize(1).ofMaxSize(poolSize).flatMap(
            pool ->
            {
                final Arbitrary<Op> op = Combinators.combine(
                    Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.SET)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.DELETE_BY_TOPIC)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.DELETE_BY_NODE))),
                    Arbitraries.of(pool),
                    Arbitraries.of(PAYLOADS)).as(Op::new);
                return op.list().ofMaxSize(maxOperations);
            });
    }

    /**
     * Walks the tree through its public iteration API, checking the structural invariants on the way
     * (those of {@link RetainedChildren} included: a parent not indexed has at most the scan limit of
     * children, a childless one is not indexed, the index holds exactly the children of indexed
     * parents, and back-linked entries name the previous sibling), and returns its rows.
     */
    static TreeMap<String, String> rows(final RetainedTree tree, final LevelTable levels)
    {
        final TreeMap<String, String> rows = new TreeMap<>();
        final Map<Integer, Integer> nodesPerLevel = new HashMap<>();
        final ArrayDeque<Integer> pending = new ArrayDeque<>();
        pending.push(tree.root());
        final RetainedChildren children = tree.children();
        int visited = 0;
        int indexedChildren = 0;
        while (!pending.isEmpty())
        {
            final int node = pending.pop();
            visited++;
            int childCount = 0;
            for (int child = tree.firstChild(node); child != RetainedTree.NO_NODE; child = tree.nextSibling(child))
            {
                childCount++;
            }
            if (children.indexed(node))
            {
                assertThat(childCount).as("indexed node %d has children", node).isPositive();
                indexedChildren += childCount;
                if (children.backLinked(node))
                {
                    int previous = RetainedTree.NO_NODE;
                    for (int child = tree.firstChild(node); child != RetainedTree.NO_NODE; child = tree.nextSibling(child))
                    {
                        assertThat(children.indexedPrevious(node, child)).as("back link of %d", child).isEqualTo(previous);
                        previous = child;
                    }
                }
            }
            else
            {
                assertThat(children.backLinked(node)).as("node %d back linked but not indexed", node).isFalse();
                assertThat(childCount).as("children of node %d not indexed", node).isLessThanOrEqualTo(children.scanLimit());
            }
            if (node != tree.root())
            {
                assertThat(tree.hasValue(node) || tree.firstChild(node) != RetainedTree.NO_NODE)
                    .as("node %d is neither a row nor an ancestor of one", node).isTrue();
                nodesPerLevel.merge(tree.level(node), 1, Integer::sum);
            }
            if (tree.hasValue(node))
            {
                final byte[] topic = new byte[tree.topicLength(node)];
                assertThat(tree.writeTopic(node, topic, 0)).isEqualTo(topic.length);
                rows.put(new String(topic, StandardCharsets.UTF_8), new String(tree.copyValue(node), StandardCharsets.UTF_8));
            }
            for (int child = tree.firstChild(node); child != RetainedTree.NO_NODE; child = tree.nextSibling(child))
            {
                assertThat(tree.parent(child)).isEqualTo(node);
                assertThat(tree.child(node, tree.level(child))).isEqualTo(child);
                pending.push(child);
            }
        }
        assertThat(tree.nodeCount()).isEqualTo(visited);
        assertThat(children.indexSize()).as("child index entries").isEqualTo(indexedChildren);
        assertThat(levels.size()).isEqualTo(nodesPerLevel.size());
        nodesPerLevel.forEach((level, count) -> assertThat(levels.references(level)).isEqualTo(count));
        return rows;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
