package io.mote.engine.tree;

/**
 * Receives the rows of a tree publish from {@link TreePublishParser}, in document order,
 * on the parsing thread.
 */
@FunctionalInterface
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
}
