package io.mote.persistence;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RetainedRowsOrderTest
{
    @Test
    void shouldHandRowsOutInUnsignedTopicByteOrderWhenWritingASnapshot()
    {
        final RetainedRows rows = new RetainedRows();
        for (final String topic : new String[] {"b/x", "a/b", "a!/x", "a", "\u00e9/x", "a/a"})
        {
            final byte[] t = topic.getBytes(StandardCharsets.UTF_8);
            rows.accept(t, 0, t.length, new byte[] {1}, 0, 1, 0);
        }
        final List<String> order = new ArrayList<>();
        rows.forEachRow((topic, to, tl, payload, po, pl, qos) -> order.add(new String(topic, to, tl, StandardCharsets.UTF_8)));

        assertThat(order).containsExactly("a", "a!/x", "a/a", "a/b", "b/x", "\u00e9/x");
    }
}
