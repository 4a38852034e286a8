package io.mote.engine.match;

import io.mote.engine.retained.RetainedTree;
import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.LevelTable;

/**
 * The three ways the matcher reads the retained tree by pattern (PROTOCOL.md §2.2, §2.3, §3):
 * which rows a filter's snapshot holds, which rows a wildcard publish expands to, and which rows a
 * replace directive covers. Each walk appends nodes to a {@link NodeList} and allocates nothing.
 *
 * <p>Recursion depth is bounded by the number of levels in the pattern, which the packet size
 * bounds; the matching thread is started with a stack large enough for the largest packet.
 * Deep subtrees are walked iteratively. Owner: the matching thread.
 */
final class RetainedWalker
{
    private final RetainedTree tree;
    private final LevelTable levels;

    private byte[] pattern;
    private TopicLevels patternLevels;
    private NodeList out;
    private Dialect dialect;
    private boolean[] staticSuffix = new boolean[16];

    RetainedWalker(final RetainedTree tree, final LevelTable levels)
    {
        this.tree = tree;
        this.levels = levels;
    }

    /** Every node holding a value that the filter matches, in depth-first order (own value first). */
    void snapshot(final byte[] filter, final TopicLevels filterLevels, final Dialect dialect, final NodeList out)
    {
        begin(filter, filterLevels, dialect, out);
        snapshotAt(tree.root(), 0);
        end();
    }

    /**
     * The rows a wildcard publish expands to: existing nodes, or an existing node plus the literal
     * rest of the topic where a static level after a wildcard does not exist yet.
     */
    void expand(final byte[] topic, final TopicLevels topicLevels, final NodeList out)
    {
        begin(topic, topicLevels, Dialect.MOTE, out);
        final int n = topicLevels.count;
        if (staticSuffix.length < n + 1)
        {
            staticSuffix = new boolean[n + 1];
        }
        staticSuffix[n] = true;
        for (int i = n - 1; i >= 0; i--)
        {
            staticSuffix[i] = staticSuffix[i + 1] && !isWildcard(i);
        }
        expandAt(tree.root(), 0);
        end();
    }

    /**
     * Rows a replace directive over pattern P covers: rows strictly below a node matching P, and the
     * matching nodes themselves when P holds a {@code +}.
     */
    void replaceScope(final byte[] patternTopic, final TopicLevels patternLevels, final NodeList out)
    {
        begin(patternTopic, patternLevels, Dialect.MOTE, out);
        boolean plus = false;
        for (int i = 0; i < patternLevels.count; i++)
        {
            plus |= isWildcard(i);
        }
        replaceAt(tree.root(), 0, plus);
        end();
    }

    private void snapshotAt(final int node, final int i)
    {
        if (i == patternLevels.count)
        {
            if (tree.hasValue(node))
            {
                out.add(node, NodeList.NO_SUFFIX);
            }
            return;
        }
        if (patternLevels.isSingle(pattern, i, (byte)'+'))
        {
            for (int child = tree.firstChild(node); child != RetainedTree.NO_NODE; child = tree.nextSibling(child))
            {
                if (i > 0 || !levels.isDollar(tree.level(child)))
                {
                    snapshotAt(child, i + 1);
                }
            }
        }
        else if (patternLevels.isSingle(pattern, i, (byte)'#'))
        {
            if (dialect == Dialect.MQTT && i > 0 && tree.hasValue(node))
            {
                out.add(node, NodeList.NO_SUFFIX);
            }
            descendants(node, i == 0);
        }
        else
        {
            final int child = staticChild(node, i);
            if (child != RetainedTree.NO_NODE)
            {
                snapshotAt(child, i + 1);
            }
        }
    }

    private void expandAt(final int node, final int i)
    {
        if (i == patternLevels.count)
        {
            out.add(node, NodeList.NO_SUFFIX);
            return;
        }
        if (patternLevels.isSingle(pattern, i, (byte)'+'))
        {
            for (int child = tree.firstChild(node); child != RetainedTree.NO_NODE; child = tree.nextSibling(child))
            {
                if (i > 0 || !levels.isDollar(tree.level(child)))
                {
                    expandAt(child, i + 1);
                }
            }
        }
        else if (patternLevels.isSingle(pattern, i, (byte)'#'))
        {
            descendants(node, i == 0);
        }
        else
        {
            final int child = staticChild(node, i);
            if (child != RetainedTree.NO_NODE)
            {
                expandAt(child, i + 1);
            }
            else if (staticSuffix[i] && node != tree.root())
            {
                out.add(node, i);
            }
        }
    }

    private void replaceAt(final int node, final int i, final boolean patternHasPlus)
    {
        if (i == patternLevels.count)
        {
            if (patternHasPlus && tree.hasValue(node))
            {
                out.add(node, NodeList.NO_SUFFIX);
            }
            descendants(node, false);
            return;
        }
        if (patternLevels.isSingle(pattern, i, (byte)'+'))
        {
            for (int child = tree.firstChild(node); child != RetainedTree.NO_NODE; child = tree.nextSibling(child))
            {
                if (i > 0 || !levels.isDollar(tree.level(child)))
                {
                    replaceAt(child, i + 1, patternHasPlus);
                }
            }
        }
        else
        {
            final int child = staticChild(node, i);
            if (child != RetainedTree.NO_NODE)
            {
                replaceAt(child, i + 1, patternHasPlus);
            }
        }
    }

    /** Every node strictly below {@code top} that holds a value, depth first, without recursion. */
    private void descendants(final int top, final boolean skipDollar)
    {
        int node = tree.firstChild(top);
        while (node != RetainedTree.NO_NODE)
        {
            final boolean skip = skipDollar && tree.parent(node) == top && levels.isDollar(tree.level(node));
            if (!skip)
            {
                if (tree.hasValue(node))
                {
                    out.add(node, NodeList.NO_SUFFIX);
                }
                final int child = tree.firstChild(node);
                if (child != RetainedTree.NO_NODE)
                {
                    node = child;
                    continue;
                }
            }
            node = nextInPreOrder(node, top);
        }
    }

    private int nextInPreOrder(final int from, final int top)
    {
        int node = from;
        while (node != top)
        {
            final int sibling = tree.nextSibling(node);
            if (sibling != RetainedTree.NO_NODE)
            {
                return sibling;
            }
            node = tree.parent(node);
        }
        return RetainedTree.NO_NODE;
    }

    private int staticChild(final int node, final int i)
    {
        final int id = levels.find(pattern, patternLevels.start[i], patternLevels.end[i] - patternLevels.start[i]);
        return id == LevelTable.NO_LEVEL ? RetainedTree.NO_NODE : tree.child(node, id);
    }

    private boolean isWildcard(final int i)
    {
        return patternLevels.isSingle(pattern, i, (byte)'+') || patternLevels.isSingle(pattern, i, (byte)'#');
    }

    private void begin(final byte[] pattern, final TopicLevels patternLevels, final Dialect dialect, final NodeList out)
    {
        this.pattern = pattern;
        this.patternLevels = patternLevels;
        this.dialect = dialect;
        this.out = out;
    }

    private void end()
    {
        pattern = null;
        patternLevels = null;
        out = null;
    }
}
