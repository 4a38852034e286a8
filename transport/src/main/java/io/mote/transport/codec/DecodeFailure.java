package io.mote.transport.codec;

/**
 * The last thing {@link MqttDecoder} emits on a connection: after it, the decoder discards every
 * further byte, and the handler is expected to log {@link #reason()} once and close.
 */
public sealed interface DecodeFailure permits MalformedPacket, ConnectRejected
{
    /** Which rule the input broke, naming the packet type; safe to log (no raw bytes). */
    String reason();
}
