package io.mote.engine.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Copies every row it receives, since the parser's arrays are only valid during the call. */
final class RecordingSink implements TreeRowSink {
    /** One copied row; payload kept as bytes because values may be any UTF-8 (including U+0000). */
    record Row(String topic, byte[] payload, boolean delete) {
        static Row of(String topic, String payload) {
            final byte[] bytes = payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
            return new Row(topic, bytes, bytes.length == 0);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && r.topic.equals(topic) && Arrays.equals(r.payload, payload) && r.delete == delete;
        }

        @Override
        public int hashCode() {
            return topic.hashCode() * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return topic + (delete ? " (delete)" : "=" + new String(payload, StandardCharsets.UTF_8));
        }
    }

    final List<Row> rows = new ArrayList<>();

    @Override
    public void row(byte[] topic, int topicLength, byte[] payload, int payloadOffset, int payloadLength, boolean delete) {
        rows.add(new Row(new String(topic, 0, topicLength, StandardCharsets.UTF_8),
                Arrays.copyOfRange(payload, payloadOffset, payloadOffset + payloadLength), delete));
    }
}
