package io.mote.engine;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonReader;
import com.dslplatform.json.ObjectConverter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** JSON helpers for tests: parse to plain Java values, flatten a Mote tree payload into rows. */
public final class Json
{
    private static final DslJson<Object> DSL = new DslJson<>();

    private Json()
    {
    }

    /** Maps, lists, strings, numbers (as Number), booleans and null. */
    public static Object parse(final byte[] json)
    {
        try
        {
            final JsonReader<Object> reader = DSL.newReader(json);
            reader.getNextToken();
            return ObjectConverter.deserializeObject(reader);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("not JSON: " + new String(json, StandardCharsets.UTF_8), ex);
        }
    }

    public static Object parse(final String json)
    {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Rows of a mote JSON tree under a topic prefix (PROTOCOL.md §3.1): nested keys are levels and
     * the key "/" holds a node's own value. Null leaves (deletes) are kept as null values.
     */
    public static Map<String, String> flatten(final String prefix, final Object tree)
    {
        final Map<String, String> rows = new TreeMap<>();
        flattenInto(prefix, tree, rows);
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static void flattenInto(final String topic, final Object node, final Map<String, String> rows)
    {
        if (node instanceof Map)
        {
            for (final Map.Entry<String, Object> e : ((Map<String, Object>)node).entrySet())
            {
                if (e.getKey().equals("/"))
                {
                    rows.put(topic, (String)e.getValue());
                }
                else
                {
                    flattenInto(topic.isEmpty() ? e.getKey() : topic + "/" + e.getKey(), e.getValue(), rows);
                }
            }
        }
        else
        {
            rows.put(topic, (String)node);
        }
    }
}
