package io.mote.engine.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A plain, deliberately naive model of PROTOCOL.md §1–§3.1: the retained rows as a {@code TreeMap}
 * of topic to payload, and straight-line code for wildcard expansion (§2.2), tree spreading and
 * replace (§2.3), filter matching in both dialects and the JSON a mote subscription receives (§3.1).
 * Nothing here shares code with the engine. A batch is a map of topic to payload in which
 * {@code null} is a delete; putting a topic again moves it to the end (last value wins).
 */
final class MoteModel
{
    final TreeMap<String, String> retained = new TreeMap<>();
    /** QoS of the publish that stored each retained row (MQTT delivers it at min(that, granted)). */
    final Map<String, Integer> retainedQos = new HashMap<>();

    static List<String> levels(final String topic)
    {
        return Arrays.asList(topic.split("/", -1));
    }

    static String join(final String node, final String level)
    {
        return node.isEmpty() ? level : node + "/" + level;
    }

    static boolean isWildcard(final String level)
    {
        return level.equals("+") || level.equals("#");
    }

    /** The rows one publish of any kind produces, against the retained rows as they are now. */
    LinkedHashMap<String, String> batch(final Ops.Publish publish)
    {
        final LinkedHashMap<String, String> rows = new LinkedHashMap<>();
        if (publish instanceof Ops.Plain p)
        {
            put(rows, p.topic(), p.payload().isEmpty() ? null : p.payload());
        }
        else if (publish instanceof Ops.Wildcard w)
        {
            for (final String topic : expand(w.topic()))
            {
                put(rows, topic, w.payload().isEmpty() ? null : w.payload());
            }
        }
        else if (publish instanceof Ops.Tree t)
        {
            spread(levels(t.pattern()), 0, "", t.payload(), true, rows);
            if (t.payload().replace())
            {
                for (final String topic : retained.keySet())
                {
                    if (!rows.containsKey(topic) && inReplaceScope(t.pattern(), topic))
                    {
                        rows.put(topic, null);
                    }
                }
            }
        }
        return rows;
    }

    void apply(final Map<String, String> batch, final int qos)
    {
        batch.forEach((topic, payload) ->
        {
            if (payload == null)
            {
                retained.remove(topic);
                retainedQos.remove(topic);
            }
            else
            {
                retained.put(topic, payload);
                retainedQos.put(topic, qos);
            }
        });
    }

    private static void put(final LinkedHashMap<String, String> rows, final String topic, final String payload)
    {
        rows.remove(topic);
        rows.put(topic, payload);
    }

    // §2.2 ------------------------------------------------------------------------------------

    /** Every node of the retained tree: each prefix of each retained topic (root excluded). */
    TreeSet<String> nodes()
    {
        final TreeSet<String> nodes = new TreeSet<>();
        for (final String topic : retained.keySet())
        {
            String node = "";
            for (final String level : levels(topic))
            {
                node = join(node, level);
                nodes.add(node);
            }
        }
        return nodes;
    }

    List<String> expand(final String topic)
    {
        final List<String> out = new ArrayList<>();
        expandAt(levels(topic), 0, "", false, nodes(), out);
        return out;
    }

    private void expandAt(final List<String> topic, final int i, final String node, final boolean crossed,
        final TreeSet<String> nodes, final List<String> out)
    {
        if (i == topic.size())
        {
            out.add(node);
            return;
        }
        final String level = topic.get(i);
        if (level.equals("+"))
        {
            for (final String child : children(node, nodes))
            {
                if (i > 0 || !child.startsWith("$"))
                {
                    expandAt(topic, i + 1, join(node, child), true, nodes, out);
                }
            }
        }
        else if (level.equals("#"))
        {
            for (final String row : retained.keySet())
            {
                final boolean below = node.isEmpty() ? !row.startsWith("$") : row.startsWith(node + "/");
                if (below)
                {
                    out.add(row);
                }
            }
        }
        else if (nodes.contains(join(node, level)))
        {
            expandAt(topic, i + 1, join(node, level), crossed, nodes, out);
        }
        else if (crossed && topic.subList(i, topic.size()).stream().noneMatch(MoteModel::isWildcard))
        {
            out.add(join(node, String.join("/", topic.subList(i, topic.size()))));
        }
    }

    private static TreeSet<String> children(final String node, final TreeSet<String> nodes)
    {
        final TreeSet<String> children = new TreeSet<>();
        final String prefix = node.isEmpty() ? "" : node + "/";
        for (final String n : nodes)
        {
            if (n.startsWith(prefix) && !n.substring(prefix.length()).contains("/"))
            {
                children.add(n.substring(prefix.length()));
            }
        }
        return children;
    }

    // §2.3 ------------------------------------------------------------------------------------

    /** JavaScript's reading of an object: the last occurrence of a key wins. */
    static LinkedHashMap<String, Ops.Value> lastWins(final Ops.Obj object)
    {
        final LinkedHashMap<String, Ops.Value> map = new LinkedHashMap<>();
        for (final Ops.Entry e : object.entries())
        {
            map.put(e.key(), e.value());
        }
        return map;
    }

    private static void spread(final List<String> pattern, final int i, final String node, final Ops.Value value,
        final boolean top, final LinkedHashMap<String, String> rows)
    {
        if (i < pattern.size() && !pattern.get(i).equals("+"))
        {
            spread(pattern, i + 1, join(node, pattern.get(i)), value, top, rows);
            return;
        }
        if (i < pattern.size())
        {
            lastWins((Ops.Obj)value).forEach((key, v) ->
            {
                if (!key.equals("/"))
                {
                    spread(pattern, i + 1, join(node, key), v, false, rows);
                }
            });
            return;
        }
        if (value instanceof Ops.Obj object)
        {
            lastWins(object).forEach((key, v) ->
            {
                if (!key.equals("/"))
                {
                    spread(pattern, i, join(node, key), v, false, rows);
                }
                else if (!top)
                {
                    put(rows, node, ((Ops.Leaf)v).payload());
                }
            });
        }
        else
        {
            put(rows, node, ((Ops.Leaf)value).payload());
        }
    }

    /** A row strictly below a node matching the pattern, or matching it when it holds a '+'. */
    static boolean inReplaceScope(final String pattern, final String topic)
    {
        final List<String> p = levels(pattern);
        final List<String> t = levels(topic);
        if (t.size() < p.size() || (t.size() == p.size() && !p.contains("+")))
        {
            return false;
        }
        return levelsMatch(p, t, p.size());
    }

    // §3 and §4 ---------------------------------------------------------------------------------

    /** The first n filter levels match the topic's, '+' any level, with the '$' rule. */
    private static boolean levelsMatch(final List<String> filter, final List<String> topic, final int n)
    {
        if (isWildcard(filter.get(0)) && topic.get(0).startsWith("$"))
        {
            return false;
        }
        for (int i = 0; i < n; i++)
        {
            if (!filter.get(i).equals("+") && !filter.get(i).equals(topic.get(i)))
            {
                return false;
            }
        }
        return true;
    }

    /** Mote dialect: exact depth without '#'; a trailing '#' matches strictly below its base. */
    static boolean matchesMote(final String filter, final String topic)
    {
        final List<String> f = levels(filter);
        final List<String> t = levels(topic);
        if (f.get(f.size() - 1).equals("#"))
        {
            return t.size() >= f.size() && levelsMatch(f, t, f.size() - 1);
        }
        return t.size() == f.size() && levelsMatch(f, t, f.size());
    }

    /** MQTT 3.1.1: a trailing '#' also matches its parent level. */
    static boolean matchesMqtt(final String filter, final String topic)
    {
        final List<String> f = levels(filter);
        final List<String> t = levels(topic);
        if (f.get(f.size() - 1).equals("#"))
        {
            return t.size() >= f.size() - 1 && levelsMatch(f, t, f.size() - 1);
        }
        return t.size() == f.size() && levelsMatch(f, t, f.size());
    }

    TreeMap<String, String> retainedMatching(final String moteFilter)
    {
        final TreeMap<String, String> rows = new TreeMap<>();
        retained.forEach((topic, payload) ->
        {
            if (matchesMote(moteFilter, topic))
            {
                rows.put(topic, payload);
            }
        });
        return rows;
    }

    /**
     * §3.1: the JSON a wildcard filter's message holds for these rows, as nested maps: a '+' level
     * is an object level keyed by the matched level, a trailing '#' adds the remaining levels, a
     * node with a value and children keeps its value under "/", a delete is null.
     */
    static Map<String, Object> expectedJson(final String filter, final Map<String, String> rows)
    {
        final List<String> f = levels(filter);
        final boolean hash = f.get(f.size() - 1).equals("#");
        final Map<String, Object> root = new TreeMap<>();
        rows.forEach((topic, payload) ->
        {
            final List<String> t = levels(topic);
            final List<String> path = new ArrayList<>();
            for (int i = 0; i < f.size(); i++)
            {
                if (f.get(i).equals("+"))
                {
                    path.add(t.get(i));
                }
            }
            if (hash)
            {
                path.addAll(t.subList(f.size() - 1, t.size()));
            }
            insert(root, path, payload);
        });
        return root;
    }

    @SuppressWarnings("unchecked")
    private static void insert(final Map<String, Object> root, final List<String> path, final String payload)
    {
        Map<String, Object> at = root;
        for (final String key : path.subList(0, path.size() - 1))
        {
            final Object existing = at.get(key);
            if (existing instanceof Map)
            {
                at = (Map<String, Object>)existing;
            }
            else
            {
                final Map<String, Object> child = new TreeMap<>();
                if (at.containsKey(key))
                {
                    child.put("/", existing);
                }
                at.put(key, child);
                at = child;
            }
        }
        final String last = path.get(path.size() - 1);
        if (at.get(last) instanceof Map)
        {
            ((Map<String, Object>)at.get(last)).put("/", payload);
        }
        else
        {
            at.put(last, payload);
        }
    }

    /** Deterministic text of a parsed or expected JSON value: sorted keys, quoted strings. */
    @SuppressWarnings("unchecked")
    static String render(final Object json)
    {
        if (json instanceof Map)
        {
            final List<String> members = new ArrayList<>();
            new TreeMap<>((Map<String, Object>)json).forEach((k, v) -> members.add(Ops.quote(k) + ":" + render(v)));
            return "{" + String.join(",", members) + "}";
        }
        return json == null ? "null" : Ops.quote(json.toString());
    }
}
