package io.mote.engine.tree;

/**
 * Receives the rows of a tree publish from {@link TreePublishParser}, in document order,
 * on the parsing thread.
 *
 * <p>Rows are numbered by emitted order within one parse: the first {@link #row} call of a parse
 * is row 0, the next row 1, and so on, withdrawn rows included. When a key repeats within one
 * JSON object, the parser {@link #withdraw withdraws} the rows the earlier occurrence produced
 * before it emits those of the later one, since §2.3 lets the last occurrence win. The rows of a
 * parse are therefore the rows emitted minus the rows withdrawn, in emitted order.
 */
public interface TreeRowSink {
    /**
     * One row. The arrays are the parser's scratch (or the caller's payload) and are only valid
     * during this call: copy what must outlive it.
     *
     * @param topic         row topic bytes (UTF-8, no wildcards) from index 0
     * @param topicLength   number of topic bytes
     * @param payload       array holding the row payload
     * @param payloadOffset first payload byte
     * @param payloadLength number of payload bytes; 0 when {@code delete}
     * @param delete        true when the JSON value was {@code null} or {@code ""}
     */
    void row(byte[] topic, int topicLength, byte[] payload, int payloadOffset, int payloadLength, boolean delete);

    /**
     * Rows {@code [fromRow, toRow)} of the current parse, by emitted index, must be treated as
     * never emitted. Always {@code 0 <= fromRow < toRow <= } the number of rows emitted so far.
     * The range may include rows already withdrawn (a repeat inside the earlier occurrence):
     * withdrawing is idempotent. A withdrawn row is never emitted again; a later row may have
     * the same topic.
     */
    void withdraw(int fromRow, int toRow);
}
