package io.mote.engine.retained;

import io.mote.engine.topic.LevelTable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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
        final LevelTable levels = new LevelTable(16);
        final RetainedTree tree = new RetainedTree(levels);
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
        for (final Map.Entry<String, String> row : model.entrySet())
        {
            final byte[] topic = bytes(row.getKey());
            assertThat(tree.value(tree.find(topic, 0, topic.length))).isEqualTo(bytes(row.getValue()));
        }
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        final Arbitrary<String> topic = Arbitraries.of(LEVELS).list().ofMinSize(1).ofMaxSize(5)
            .map(levels -> String.join("/", levels));
        return topic.list().ofMinSize(1).ofMaxSize(12).flatMap(
            pool ->
            {
                final Arbitrary<Op> op = Combinators.combine(
                    Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.SET)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.DELETE_BY_TOPIC)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.DELETE_BY_NODE))),
                    Arbitraries.of(pool),
                    Arbitraries.of(PAYLOADS)).as(Op::new);
                return op.list().ofMaxSize(120);
            });
    }

    /**
     * Walks the tree through its public iteration API, checking the structural invariants on the way,
     * and returns its rows.
     */
    static TreeMap<String, String> rows(final RetainedTree tree, final LevelTable levels)
    {
        final TreeMap<String, String> rows = new TreeMap<>();
        final Map<Integer, Integer> nodesPerLevel = new HashMap<>();
        final ArrayDeque<Integer> pending = new ArrayDeque<>();
        pending.push(tree.root());
        int visited = 0;
        while (!pending.isEmpty())
        {
            final int node = pending.pop();
            visited++;
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
                rows.put(new String(topic, StandardCharsets.UTF_8), new String(tree.value(node), StandardCharsets.UTF_8));
            }
            for (int child = tree.firstChild(node); child != RetainedTree.NO_NODE; child = tree.nextSibling(child))
            {
                assertThat(tree.parent(child)).isEqualTo(node);
                assertThat(tree.child(node, tree.level(child))).isEqualTo(child);
                pending.push(child);
            }
        }
        assertThat(tree.nodeCount()).isEqualTo(visited);
        assertThat(levels.size()).isEqualTo(nodesPerLevel.size());
        nodesPerLevel.forEach((level, count) -> assertThat(levels.references(level)).isEqualTo(count));
        return rows;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
