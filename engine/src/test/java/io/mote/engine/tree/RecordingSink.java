package io.mote.engine.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Copies every row it receives, since the parser's arrays are only valid during the call, and
 * applies withdrawals, so {@link #rows} is always what the parse has written so far. Checks the
 * {@link TreeRowSink#withdraw} contract on the way.
 */
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

    /** The rows that stand: emitted and not withdrawn, in emitted order. */
    final List<Row> rows = new ArrayList<>();
    /** Every row emitted, by emitted index; null once withdrawn. */
    private final List<Row> emitted = new ArrayList<>();
    private int withdrawals;

    @Override
    public void row(byte[] topic, int topicLength, byte[] payload, int payloadOffset, int payloadLength, boolean delete) {
        final Row row = new Row(new String(topic, 0, topicLength, StandardCharsets.UTF_8),
                Arrays.copyOfRange(payload, payloadOffset, payloadOffset + payloadLength), delete);
        emitted.add(row);
        rows.add(row);
    }

    @Override
    public void withdraw(int fromRow, int toRow) {
        if (fromRow < 0 || fromRow >= toRow || toRow > emitted.size()) {
            throw new AssertionError("withdraw [" + fromRow + ", " + toRow + ") of " + emitted.size() + " emitted rows");
        }
        for (int i = fromRow; i < toRow; i++) {
            emitted.set(i, null);
        }
        withdrawals++;
        rows.clear();
        emitted.stream().filter(Objects::nonNull).forEach(rows::add);
    }

    /** Rows emitted so far, withdrawn ones included: what {@link TreePublishParser#parse} returns. */
    int emittedCount() {
        return emitted.size();
    }

    int withdrawals() {
        return withdrawals;
    }
}
