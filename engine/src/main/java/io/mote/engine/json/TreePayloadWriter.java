package io.mote.engine.json;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonWriter;
import io.mote.engine.match.SubscriptionRecord;
import io.mote.engine.pipeline.MatchResult;

import java.util.Arrays;

/**
 * Builds the JSON object a mote wildcard subscription receives for one delivery (PROTOCOL.md §3.1):
 * each {@code +} level of the filter is one object level keyed by the level that matched, a
 * trailing {@code #} adds the remaining levels as nested objects, a node with both a value and
 * children keeps its own value under {@code "/"}, leaves are strings and deletes are null.
 *
 * <p>Rows are ordered by key path first (prefix before extension) unless the caller knows they
 * already come grouped, as a depth-first snapshot does; then objects are opened and closed as the
 * path changes. The writer and every scratch array are reused. Owner: the encoding thread.
 */
public final class TreePayloadWriter
{
    private final JsonWriter writer = new DslJson<>().newWriter(4096);

    private int[] order = new int[64];
    private int[] sortScratch = new int[64];
    private int[] rowOf = new int[64];
    private int[] pathStart = new int[64];
    private int[] pathLength = new int[64];
    private int[] keyOffset = new int[256];
    private int[] keyLength = new int[256];
    private int keys;
    private int[] levelStart = new int[32];
    private int[] levelEnd = new int[32];
    private int[] openKey = new int[32];
    private boolean[] needsComma = new boolean[33];

    private byte[] bytes;

    /**
     * Writes the delivery's payload; @return the writer holding it ({@link JsonWriter#getByteBuffer()}
     * up to {@link JsonWriter#size()}), valid until the next call.
     */
    public JsonWriter write(final MatchResult result, final int delivery, final SubscriptionRecord record, final boolean grouped)
    {
        bytes = result.bytes();
        final int start = result.deliveryRowStart(delivery);
        final int n = result.deliveryRowCount(delivery);
        prepare(n);
        keys = 0;
        for (int k = 0; k < n; k++)
        {
            final int row = result.deliveryRow(start + k);
            rowOf[k] = row;
            order[k] = k;
            collectKeys(k, result.rowTopicOffset(row), result.rowTopicLength(row), record);
        }
        if (!grouped)
        {
            sort(n);
        }
        writer.reset();
        writer.writeByte(JsonWriter.OBJECT_START);
        int depth = 0;
        needsComma[0] = false;
        for (int i = 0; i < n; i++)
        {
            final int k = order[i];
            final int m = pathLength[k];
            final int p = pathStart[k];
            int common = 0;
            while (common < depth && common < m - 1 && sameKey(openKey[common], p + common))
            {
                common++;
            }
            while (depth > common)
            {
                writer.writeByte(JsonWriter.OBJECT_END);
                depth--;
            }
            while (depth < m - 1)
            {
                openObject(depth, p + depth);
                depth++;
            }
            final boolean hasChildren = i + 1 < n && isPrefixOf(k, order[i + 1]);
            if (hasChildren)
            {
                openObject(depth, p + m - 1);
                depth++;
                writer.writeByte(JsonWriter.QUOTE);
                writer.writeByte((byte)'/');
                writer.writeByte(JsonWriter.QUOTE);
                writer.writeByte(JsonWriter.SEMI);
                needsComma[depth] = true;
            }
            else
            {
                writeKey(depth, p + m - 1);
            }
            writeValue(result, rowOf[k]);
        }
        while (depth > 0)
        {
            writer.writeByte(JsonWriter.OBJECT_END);
            depth--;
        }
        writer.writeByte(JsonWriter.OBJECT_END);
        bytes = null;
        return writer;
    }

    private void collectKeys(final int k, final int topicOffset, final int topicLength, final SubscriptionRecord record)
    {
        int levels = 0;
        int levelBegin = topicOffset;
        final int end = topicOffset + topicLength;
        for (int i = topicOffset; i <= end; i++)
        {
            if (i == end || bytes[i] == '/')
            {
                if (levels == levelStart.length)
                {
                    levelStart = Arrays.copyOf(levelStart, levels << 1);
                    levelEnd = Arrays.copyOf(levelEnd, levels << 1);
                }
                levelStart[levels] = levelBegin;
                levelEnd[levels] = i;
                levels++;
                levelBegin = i + 1;
            }
        }
        pathStart[k] = keys;
        for (int j = 0, plus = record.plusLevelCount(); j < plus; j++)
        {
            addKey(record.plusLevel(j), levelStart, levelEnd);
        }
        if (record.hasTrailingHash())
        {
            for (int level = record.levelCount() - 1; level < levels; level++)
            {
                addKey(level, levelStart, levelEnd);
            }
        }
        pathLength[k] = keys - pathStart[k];
    }

    private void addKey(final int level, final int[] starts, final int[] ends)
    {
        if (keys == keyOffset.length)
        {
            keyOffset = Arrays.copyOf(keyOffset, keys << 1);
            keyLength = Arrays.copyOf(keyLength, keys << 1);
        }
        keyOffset[keys] = starts[level];
        keyLength[keys] = ends[level] - starts[level];
        keys++;
    }

    private void openObject(final int depth, final int key)
    {
        writeKey(depth, key);
        writer.writeByte(JsonWriter.OBJECT_START);
        if (depth + 1 == openKey.length)
        {
            openKey = Arrays.copyOf(openKey, openKey.length << 1);
            needsComma = Arrays.copyOf(needsComma, openKey.length + 1);
        }
        openKey[depth] = key;
        needsComma[depth + 1] = false;
    }

    private void writeKey(final int depth, final int key)
    {
        if (needsComma[depth])
        {
            writer.writeByte(JsonWriter.COMMA);
        }
        needsComma[depth] = true;
        JsonText.writeString(writer, bytes, keyOffset[key], keyLength[key]);
        writer.writeByte(JsonWriter.SEMI);
    }

    private void writeValue(final MatchResult result, final int row)
    {
        if (result.rowIsDelete(row))
        {
            writer.writeNull();
        }
        else
        {
            JsonText.writeString(writer, bytes, result.rowPayloadOffset(row), result.rowPayloadLength(row));
        }
    }

    private boolean sameKey(final int a, final int b)
    {
        final int length = keyLength[a];
        return length == keyLength[b] &&
            Arrays.equals(bytes, keyOffset[a], keyOffset[a] + length, bytes, keyOffset[b], keyOffset[b] + length);
    }

    /** True when path {@code a} is a strict prefix of path {@code b}. */
    private boolean isPrefixOf(final int a, final int b)
    {
        final int m = pathLength[a];
        if (pathLength[b] <= m)
        {
            return false;
        }
        for (int j = 0; j < m; j++)
        {
            if (!sameKey(pathStart[a] + j, pathStart[b] + j))
            {
                return false;
            }
        }
        return true;
    }

    private int comparePaths(final int a, final int b)
    {
        final int m = Math.min(pathLength[a], pathLength[b]);
        for (int j = 0; j < m; j++)
        {
            final int ka = pathStart[a] + j;
            final int kb = pathStart[b] + j;
            final int c = Arrays.compareUnsigned(bytes, keyOffset[ka], keyOffset[ka] + keyLength[ka], bytes, keyOffset[kb], keyOffset[kb] + keyLength[kb]);
            if (c != 0)
            {
                return c;
            }
        }
        return Integer.compare(pathLength[a], pathLength[b]);
    }

    private void sort(final int n)
    {
        mergeSort(0, n);
    }

    private void mergeSort(final int from, final int to)
    {
        if (to - from <= 8)
        {
            for (int i = from + 1; i < to; i++)
            {
                final int value = order[i];
                int j = i - 1;
                while (j >= from && comparePaths(order[j], value) > 0)
                {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = value;
            }
            return;
        }
        final int mid = (from + to) >>> 1;
        mergeSort(from, mid);
        mergeSort(mid, to);
        if (comparePaths(order[mid - 1], order[mid]) <= 0)
        {
            return;
        }
        System.arraycopy(order, from, sortScratch, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++)
        {
            if (j >= to || (i < mid && comparePaths(sortScratch[i], sortScratch[j]) <= 0))
            {
                order[k] = sortScratch[i++];
            }
            else
            {
                order[k] = sortScratch[j++];
            }
        }
    }

    private void prepare(final int n)
    {
        if (order.length < n)
        {
            final int capacity = Math.max(n, order.length << 1);
            order = new int[capacity];
            sortScratch = new int[capacity];
            rowOf = new int[capacity];
            pathStart = new int[capacity];
            pathLength = new int[capacity];
        }
    }
}
