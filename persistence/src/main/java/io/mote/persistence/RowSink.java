package io.mote.persistence;

/**
 * Receives retained rows in journal order while a snapshot or the journal is read back. The arrays
 * are the reader's scratch: valid only during the call, copy what must be kept.
 */
@FunctionalInterface
public interface RowSink
{
    /**
     * One row change; {@code payloadLength == 0} deletes the row (an MQTT retained message with an
     * empty payload clears the topic, and the engine's restore takes it the same way).
     */
    void accept(byte[] topic, int topicOffset, int topicLength, byte[] payload, int payloadOffset, int payloadLength, int qos);
}
